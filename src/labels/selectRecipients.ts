import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { customerIdsMatching, type FilterContext, type FilterSpec } from '../query/customerFilter.js'
import { fold } from '../text/fold.js'
import { destinationCountry, formatAddress, missingAddressFields, personName, type PostalRecipient } from './formatAddress.js'

export type LabelSort = 'postal' | 'name'

/** One label: who it is for and its address lines, ready to print. */
export interface LabelEntry {
  customerIds: number[]
  name: string
  lines: string[]
  country: string
  postalCode: string
}

export interface SkippedCustomer {
  id: number
  name: string
  reason: string
}

export interface LabelSelection {
  labels: LabelEntry[]
  /** Customers the filter matched who get no label, in id order. */
  skipped: SkippedCustomer[]
  refusedPost: number
  incomplete: number
}

export interface SelectOptions {
  homeCountry: string
  household: boolean
  sort: LabelSort
}

interface Person extends PostalRecipient {
  id: number
  first: string
  last: string
}

/**
 * The labels for the customers a filter selects: only those who have not refused post
 * and whose address is complete for its country; one per person, or one per address
 * with `household`; sorted by postal code (bulk-mail presort) or by name.
 */
export async function selectRecipients(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext, options: SelectOptions): Promise<LabelSelection> {
  const rows = await db
    .selectFrom('customers')
    .select(['id', 'first_name', 'last_name', 'company', 'street', 'city', 'region', 'postal_code', 'country', 'consent_mail'])
    .where('customers.id', 'in', customerIdsMatching(db, spec, ctx))
    .orderBy('id')
    .execute()
  const skipped: SkippedCustomer[] = []
  const people: Person[] = []
  let refusedPost = 0
  let incomplete = 0
  for (const r of rows) {
    const country = destinationCountry(r, options.homeCountry)
    const person: Person = {
      id: r.id,
      first: r.first_name ?? '',
      last: r.last_name ?? '',
      name: personName(r.first_name, r.last_name, country),
      company: r.company,
      street: r.street,
      city: r.city,
      region: r.region,
      postalCode: r.postal_code,
      country,
    }
    const shown = person.name || r.company || '(no name)'
    if (r.consent_mail === 'refused') {
      refusedPost++
      skipped.push({ id: r.id, name: shown, reason: 'refused post' })
      continue
    }
    const missing = missingAddressFields(person, options.homeCountry)
    if (missing.length) {
      incomplete++
      skipped.push({ id: r.id, name: shown, reason: `no ${missing.join(', no ')}` })
      continue
    }
    people.push(person)
  }
  const groups = options.household ? groupByAddress(people) : people.map((p) => [p])
  const labels = groups.map((g) => toLabel(g, options.homeCountry))
  sortLabels(labels, groups, options.sort, options.homeCountry)
  return { labels, skipped, refusedPost, incomplete }
}

function addressKey(p: Person): string {
  return [p.street, p.postalCode, p.city, p.country].map((v) => fold(v ?? '').replace(/[^\p{L}\p{N}]+/gu, '')).join('|')
}

/** People at the same address (street, postal code, city, country compared folded), first-seen order. */
export function groupByAddress<T extends Person>(people: T[]): T[][] {
  const groups = new Map<string, T[]>()
  for (const p of people) {
    const key = addressKey(p)
    const g = groups.get(key)
    if (g) g.push(p)
    else groups.set(key, [p])
  }
  return [...groups.values()]
}

/** "Anna Schmidt" alone; "The Smith household"; "The Smith & Jones household". */
export function householdName(members: Array<{ name: string; last: string }>): string {
  if (members.length === 1) return members[0]!.name
  const lasts: string[] = []
  const seen = new Set<string>()
  for (const m of members) {
    const key = fold(m.last)
    if (!key || seen.has(key)) continue
    seen.add(key)
    lasts.push(m.last.trim())
  }
  if (lasts.length === 0) return members.map((m) => m.name).join(' & ')
  return `The ${lasts.join(' & ')} household`
}

function toLabel(group: Person[], homeCountry: string): LabelEntry {
  const first = group[0]!
  const companies = new Set(group.map((p) => fold(p.company ?? '')))
  const name = householdName(group)
  const recipient: PostalRecipient = { ...first, name, company: companies.size === 1 ? first.company : null }
  return {
    customerIds: group.map((p) => p.id),
    name,
    lines: formatAddress(recipient, { homeCountry }),
    country: first.country ?? homeCountry,
    postalCode: (first.postalCode ?? '').trim(),
  }
}

// Domestic labels first, then each foreign country together: how a post office takes a presorted bag.
function sortLabels(labels: LabelEntry[], groups: Person[][], sort: LabelSort, homeCountry: string): void {
  // Made here, not when the module loads: only a labels run sorts.
  const collator = new Intl.Collator('und', { numeric: true, sensitivity: 'base' })
  const countryKey = (c: string) => (c === homeCountry.toUpperCase() ? '' : c)
  const keyed = labels.map((l, i) => ({ l, p: groups[i]![0]! }))
  const byName = (a: (typeof keyed)[number], b: (typeof keyed)[number]) =>
    collator.compare(fold(a.p.last), fold(b.p.last)) || collator.compare(fold(a.p.first), fold(b.p.first)) || a.p.id - b.p.id
  keyed.sort(
    sort === 'name'
      ? byName
      : (a, b) => collator.compare(countryKey(a.l.country), countryKey(b.l.country)) || collator.compare(a.l.postalCode, b.l.postalCode) || byName(a, b),
  )
  keyed.forEach((k, i) => (labels[i] = k.l))
}
