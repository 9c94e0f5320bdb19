import { digitsOf, fold, foldOrNull } from '../text/fold.js'
import { memo } from '../util/memo.js'

// Places, reps and sources repeat from customer to customer: fold each spelling once.
const foldedPlace = memo(foldOrNull)
const placeKey = (v: string | null | undefined): string | null => (v == null ? null : foldedPlace(v))
// So do first names, last names and companies; emails and phones rarely do.
const foldedWord = memo(fold)

/** The raw fields the derived keys are computed from. */
export interface KeySource {
  first_name?: string | null
  last_name?: string | null
  email?: string | null
  phone?: string | null
  phone_e164?: string | null
  company?: string | null
  city?: string | null
  region?: string | null
  territory?: string | null
  sales_rep?: string | null
  source?: string | null
}

export interface CustomerKeys {
  email_norm: string | null
  city_key: string | null
  region_key: string | null
  territory_key: string | null
  sales_rep_key: string | null
  source_key: string | null
  search_key: string | null
}

/** The matching form of an email: NFKC, trimmed, lower-cased. */
export function normaliseEmail(email: string | null | undefined): string | null {
  if (!email) return null
  const e = email.normalize('NFKC').trim().toLowerCase()
  return e === '' ? null : e
}

/**
 * The folded columns crm filters and matches on, computed from the values as given.
 * Every write to a customer recomputes them, so filters stay accent- and case-insensitive.
 */
export function customerKeys(c: KeySource): CustomerKeys {
  const parts: string[] = []
  if (c.first_name) parts.push(foldedWord(c.first_name))
  if (c.last_name) parts.push(foldedWord(c.last_name))
  if (c.email) parts.push(fold(c.email))
  if (c.company) parts.push(foldedWord(c.company))
  for (const p of [c.phone, c.phone_e164]) {
    const d = p ? digitsOf(p) : ''
    if (d !== '') parts.push(d)
  }
  const search = parts.join(' ')
  return {
    email_norm: normaliseEmail(c.email),
    city_key: placeKey(c.city),
    region_key: placeKey(c.region),
    territory_key: placeKey(c.territory),
    sales_rep_key: placeKey(c.sales_rep),
    source_key: placeKey(c.source),
    search_key: search === '' ? null : search,
  }
}
