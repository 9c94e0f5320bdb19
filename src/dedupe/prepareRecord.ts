import { foldOrNull } from '../text/fold.js'
import { doubleMetaphone } from './talisman.js'
import { birthKey, canonicalEmail, houseNumber, nameKey, phoneKey, postalKey, streetKey, streetName } from './normalise.js'

/** The customer fields matching reads; the original values are never changed. */
export interface MatchInput {
  id: number
  first_name: string | null
  last_name: string | null
  email: string | null
  phone: string | null
  phone_e164: string | null
  birth_date: string | null
  street: string | null
  city: string | null
  region: string | null
  postal_code: string | null
  /** Values of extra columns named as identifiers (--compare-extra), in order. */
  extraIds?: Array<string | null>
}

/** A customer in comparison form, computed once per record. */
export interface PreparedRecord {
  id: number
  first: string
  last: string
  /** Double metaphone codes [primary, alternate] of the names ('' when missing). */
  firstCodes: readonly [string, string]
  lastCodes: readonly [string, string]
  firstMeta: string
  lastMeta: string
  email: string | null
  phone: string | null
  streetName: string | null
  house: string | null
  postal: string | null
  city: string | null
  region: string | null
  birth: string | null
  /** A generation suffix written with the name ("jr", "sr", "ii", "iii", "iv"), else null. */
  suffix: string | null
  /** The name is written in Arabic script (Persian), which leaves short vowels out. */
  abjad: boolean
  extraIds: Array<string | null>
  /** The original values, for explanations (null when not kept, to save memory). */
  source: MatchInput | null
}

const NO_CODES: readonly [string, string] = ['', '']
const NO_IDS: Array<string | null> = []
// Names repeat (a million customers share perhaps a hundred thousand names), and
// double metaphone is the slowest step of preparing a record: remember each result.
const codeCache = new Map<string, readonly [string, string]>()

/** Double metaphone of a whole name, spaces removed ("van der berg" keeps "van"). */
export function nameCodes(name: string): readonly [string, string] {
  if (name === '') return NO_CODES
  let codes = codeCache.get(name)
  if (!codes) {
    codes = doubleMetaphone(name.replace(/ /g, ''))
    if (codeCache.size > 500_000) codeCache.clear()
    codeCache.set(name, codes)
  }
  return codes
}

const SUFFIXES: Record<string, string> = { jr: 'jr', junior: 'jr', sr: 'sr', senior: 'sr', ii: 'ii', iii: 'iii', iv: 'iv' }
const ARABIC_SCRIPT = /[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]/

/**
 * A name key without its generation suffix, and the suffix: "smith jr" → ["smith", "jr"].
 * Only a last word after another counts ("Junior" alone is a name).
 */
export function splitSuffix(key: string): [string, string | null] {
  const space = key.lastIndexOf(' ')
  if (space < 0) return [key, null]
  const suffix = SUFFIXES[key.slice(space + 1)]
  return suffix ? [key.slice(0, space), suffix] : [key, null]
}

/** Normalises one customer for matching. */
export function prepareRecord(c: MatchInput, keepSource = true): PreparedRecord {
  const [last, lastSuffix] = splitSuffix(nameKey(c.last_name))
  const [first, firstSuffix] = splitSuffix(nameKey(c.first_name))
  const street = streetKey(c.street)
  const firstCodes = nameCodes(first)
  const lastCodes = nameCodes(last)
  return {
    id: c.id,
    first,
    last,
    firstCodes,
    lastCodes,
    firstMeta: firstCodes[0],
    lastMeta: lastCodes[0],
    email: canonicalEmail(c.email),
    phone: phoneKey(c.phone_e164, c.phone),
    streetName: streetName(street),
    house: houseNumber(street),
    postal: postalKey(c.postal_code),
    city: foldOrNull(c.city),
    region: foldOrNull(c.region),
    birth: birthKey(c.birth_date),
    suffix: lastSuffix ?? firstSuffix,
    abjad: ARABIC_SCRIPT.test(c.first_name ?? '') || ARABIC_SCRIPT.test(c.last_name ?? ''),
    extraIds: c.extraIds?.length ? c.extraIds.map((v) => (v == null || v.trim() === '' ? null : v.trim().toLowerCase())) : NO_IDS,
    source: keepSource ? c : null,
  }
}
