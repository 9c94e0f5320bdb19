import { digitsOf, fold } from '../text/fold.js'

/**
 * The comparison form of a name: fold() (NFKC, transliterated to Latin, lower case),
 * apostrophes dropped (Natal'ya → natalya, O'Brien → obrien), every other non-letter a
 * space. "Nguyễn" and "NGUYEN" meet, so do "Николай" and "nikolay".
 */
export function nameKey(value: string | null | undefined): string {
  if (!value) return ''
  return fold(value)
    .replace(/['’`´]/g, '')
    .replace(/[^a-z]+/g, ' ')
    .trim()
}

const GMAIL_DOMAINS = new Set(['gmail.com', 'googlemail.com'])

/**
 * The canonical form of an email address for matching: NFKC, lower case, the "+tag"
 * dropped from the local part, and for Gmail the dots too (Gmail ignores both, so
 * J.Smith+shop@googlemail.com and jsmith@gmail.com reach the same mailbox).
 */
export function canonicalEmail(value: string | null | undefined): string | null {
  if (!value) return null
  const e = value.normalize('NFKC').trim().toLowerCase()
  const at = e.lastIndexOf('@')
  if (at <= 0 || at === e.length - 1) return e === '' ? null : e
  let local = e.slice(0, at)
  let domain = e.slice(at + 1)
  const plus = local.indexOf('+')
  if (plus > 0) local = local.slice(0, plus)
  if (GMAIL_DOMAINS.has(domain)) {
    domain = 'gmail.com'
    local = local.replace(/\./g, '')
  }
  return `${local}@${domain}`
}

/**
 * A phone number for matching: the stored E.164 form when the importer could parse it,
 * else its digits (at least six, fewer is not a phone number).
 */
export function phoneKey(e164: string | null | undefined, raw: string | null | undefined): string | null {
  if (e164) return e164
  if (!raw) return null
  const d = digitsOf(raw)
  return d.length >= 6 ? d : null
}

/** Street abbreviations in English, German, French and Spanish, expanded before comparing. */
const STREET_WORDS: Record<string, string> = {
  st: 'street', str: 'street', strasse: 'street', street: 'street',
  ave: 'avenue', av: 'avenue', avenue: 'avenue', avda: 'avenida',
  rd: 'road', dr: 'drive', drv: 'drive', ln: 'lane', ct: 'court', crt: 'court', pl: 'place', plc: 'place',
  blvd: 'boulevard', bd: 'boulevard', bvd: 'boulevard', hwy: 'highway', pkwy: 'parkway', sq: 'square',
  cres: 'crescent', cr: 'crescent', cct: 'circuit', cir: 'circle', tce: 'terrace', ter: 'terrace', terr: 'terrace',
  pde: 'parade', cl: 'close', gr: 'grove', hts: 'heights', mt: 'mount', n: 'north', s: 'south', e: 'east', w: 'west',
  apt: 'apartment', ste: 'suite', fl: 'floor',

}

/**
 * The comparison form of a street address: folded, abbreviations expanded (St → street,
 * Ave → avenue, Hauptstr. → haupt street), punctuation gone. House numbers stay in.
 */
export function streetKey(value: string | null | undefined): string | null {
  if (!value) return null
  const words = fold(value)
    .replace(/(str|strasse)\b\.?/g, ' street ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
    .map((w) => STREET_WORDS[w] ?? w)
  return words.length ? words.join(' ') : null
}

/** The first number in a street line: the house number ("12a Main St" → "12a"). */
export function houseNumber(street: string | null | undefined): string | null {
  if (!street) return null
  const m = /\b(\d+[a-z]?)\b/.exec(street)
  return m ? m[1]! : null
}

/** The street without its house number, for comparing the street name alone. */
export function streetName(key: string | null): string | null {
  if (!key) return null
  const s = key.replace(/\b\d+[a-z]?\b/g, ' ').replace(/\s+/g, ' ').trim()
  return s === '' ? null : s
}

/** A postal code for matching: upper case, no spaces or dashes ("sw1a 1aa" → "SW1A1AA"). */
export function postalKey(value: string | null | undefined): string | null {
  if (!value) return null
  const p = value.normalize('NFKC').toUpperCase().replace(/[\s-]+/g, '')
  return p === '' ? null : p
}

/** A birth date as eight digits YYYYMMDD, or null. */
export function birthKey(value: string | null | undefined): string | null {
  if (!value) return null
  const d = digitsOf(value)
  return d.length === 8 ? d : null
}
