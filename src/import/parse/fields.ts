import { getCountries, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import type { ConsentStatus } from '../../db/schema.js'
import { fold } from '../../text/fold.js'
import { memo } from '../../util/memo.js'
import { ParseError } from './dates.js'

// Gender spellings live apart so the filter flags can use them without loading libphonenumber.
export { parseGender } from './gender.js'

const GRANTED = new Set(['yes', 'y', 'true', '1', 'granted', 'opt-in', 'optin', 'opted in', 'subscribed', 'ja', 'oui', 'si', 'da', 'x', 'allowed', 'ok'])
const REFUSED = new Set(['no', 'n', 'false', '0', 'refused', 'opt-out', 'optout', 'opted out', 'unsubscribed', 'nein', 'non', 'net', 'denied', 'cleaned', 'bounced'])

export function parseConsent(text: string): ConsentStatus | ParseError {
  const key = fold(text)
  if (key === '' || key === 'unknown' || key === 'pending' || key === '?') return 'unknown'
  if (GRANTED.has(key)) return 'granted'
  if (REFUSED.has(key)) return 'refused'
  return new ParseError(`"${text}" is not a consent value (use yes, no or unknown)`)
}

// Deliberately loose: one @, something on each side, a dot in the domain, no spaces.
// Unicode local parts and domains are real (müller@straße.de), so no ASCII-only rule.
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:".]{2,}$/

export function parseEmail(text: string): string | ParseError {
  const t = text.trim().replace(/^mailto:/i, '')
  if (!EMAIL.test(t)) return new ParseError(`"${text}" is not an email address`)
  return t
}

const E164 = /^\+[1-9]\d{6,14}$/

/**
 * E.164 form of a phone number, or null when it cannot be read (the number as given is kept).
 * A number written with its country code needs only a possible length. One written without
 * it must be a valid number of the default country: "030 1234567" from a Berlin shop whose
 * country is still the default US would otherwise become +10301234567, a number nobody has.
 * Answers are remembered per (country, text): the same number in the same country (a family,
 * a re-sent order file) is parsed once; the same digits in another country are parsed again.
 */
export function phoneToE164(text: string, defaultCountry: string): string | null {
  let inCountry = phonesByCountry.get(defaultCountry)
  if (!inCountry) {
    inCountry = memo((t: string) => readPhone(t, defaultCountry))
    phonesByCountry.set(defaultCountry, inCountry)
  }
  return inCountry(text)
}
const phonesByCountry = new Map<string, (text: string) => string | null>()

function readPhone(text: string, defaultCountry: string): string | null {
  const compact = text.replace(/[\s().-]/g, '')
  // Most numbers in a clean file are E.164 already: skip the 25 µs parse. Not "+49 (0) 211 …":
  // the (0) is the national trunk prefix, which the international form leaves out.
  if (E164.test(compact) && !/\(\s*0\s*\)/.test(text)) return compact
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode)
  if (!parsed) return null
  return (compact.startsWith('+') ? parsed.isPossible() : parsed.isValid()) ? parsed.number : null
}

let countryNames: Map<string, string> | null = null
// ICU also names retired codes (SU, FX, YU …); libphonenumber's list is the live ISO 3166 set.
let liveCodes: Set<string> | null = null
function isLiveCode(code: string): boolean {
  liveCodes ??= new Set(getCountries())
  return liveCodes.has(code)
}

const COUNTRY_ALIASES: Record<string, string> = {
  usa: 'US', turkey: 'TR', 'united states of america': 'US', 'u.s.': 'US', 'u.s.a.': 'US', america: 'US', uk: 'GB', 'great britain': 'GB', england: 'GB', scotland: 'GB',
  wales: 'GB', gbr: 'GB', deu: 'DE', ger: 'DE', fra: 'FR', rus: 'RU', 'russian federation': 'RU', rossiia: 'RU',
  rossiya: 'RU', irn: 'IR', persia: 'IR', vnm: 'VN', 'viet nam': 'VN', can: 'CA', aus: 'AU', aut: 'AT', che: 'CH',
  nld: 'NL', holland: 'NL', esp: 'ES', ita: 'IT', pol: 'PL', ukr: 'UA', mex: 'MX', bra: 'BR', jpn: 'JP', chn: 'CN',
}

/** All region names ICU knows, in the languages of our users, folded → alpha-2. */
function buildCountryNames(): Map<string, string> {
  const names = new Map<string, string>()
  const locales = ['en', 'de', 'fr', 'es', 'it', 'nl', 'pt', 'pl', 'ru', 'uk', 'vi', 'fa']
  const displays = locales.map((l) => new Intl.DisplayNames([l], { type: 'region', fallback: 'none' }))
  for (const code of getCountries()) {
    {
      for (const d of displays) {
        const name = d.of(code)
        if (name && name !== code) names.set(fold(name), code)
      }
    }
  }
  return names
}

/** ISO 3166 alpha-2 from a code or a country's name in a common language. */
export function parseCountry(text: string): string | ParseError {
  const t = text.trim()
  if (/^[A-Za-z]{2}$/.test(t)) {
    const code = t.toUpperCase()
    if (code === 'UK') return 'GB'
    if (isLiveCode(code)) return code
  }
  const key = fold(t)
  const alias = COUNTRY_ALIASES[key]
  if (alias) return alias
  countryNames ??= buildCountryNames()
  const code = countryNames.get(key)
  if (code) return code
  return new ParseError(`"${text}" is not a country (use a two-letter code such as US or DE)`)
}

/** True when the text holds a run of 13–19 digits that passes the Luhn check: a payment card number. */
export function containsCardNumber(text: string): boolean {
  if (text.length < 13) return false
  const runs = text.match(/\d(?:[ -]?\d){12,18}/g)
  if (!runs) return false
  return runs.some((run) => luhnValid(run.replace(/\D/g, '')))
}

export function luhnValid(digits: string): boolean {
  if (digits.length < 13 || digits.length > 19) return false
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}
