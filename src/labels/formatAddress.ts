import { formatAddress as libFormatAddress } from 'localized-address-format'
import { fold } from '../text/fold.js'

/** One label's addressee, as plain values (a customer row or a household). */
export interface PostalRecipient {
  /** The name line as it should print ("Anna Schmidt", "The Smith household"). */
  name: string
  company?: string | null
  street: string | null
  city: string | null
  region?: string | null
  postalCode: string | null
  /** ISO 3166 alpha-2; null means the shop's own country. */
  country: string | null
}

export interface FormatOptions {
  /** The sender's country (config sender.country, else country): its country line is left out. */
  homeCountry: string
  /** Language of the country line; the sender's post office reads it (UPU). Default English. */
  countryNameLocale?: string
}

/*
 * Which fields each country's post wants in capitals, and which it requires, from the
 * `upper` and `require` keys of Google's address data (libaddressinput, the data
 * localized-address-format is built on; that package keeps only the line formats).
 * The data's world-wide default of a capitalised city is not applied: a German or
 * Russian customer's city prints as written unless the country asks otherwise.
 */
const UPPER: Record<string, string> = {
  AR: 'ACZ', AU: 'CS', BJ: 'AC', BO: 'AC', BR: 'CS', CA: 'ACNOSZ', CN: 'S', EC: 'CS', FR: 'CX', GB: 'CZ',
  HR: 'C', JP: 'S', KR: 'S', MX: 'CSZ', PA: 'AC', SC: 'S', SV: 'CS', TV: 'ACS', US: 'CS', UY: 'CS',
  UZ: 'CS', VE: 'CS',
}
const REGION_REQUIRED = new Set([
  'AE', 'AU', 'BR', 'CA', 'CN', 'CO', 'CR', 'ES', 'FM', 'HN', 'IN', 'IQ', 'IT', 'JM', 'JP', 'KR', 'MH', 'MM',
  'MX', 'MY', 'PE', 'PH', 'PW', 'SO', 'TH', 'TW', 'US', 'VE',
])
/** Countries whose format prints no city line of its own (the city is part of the region or street). */
const CITY_OPTIONAL = new Set(['AE', 'JP', 'SG', 'MO'])

function fieldKey(letter: string): keyof PostalRecipient | 'name' | null {
  switch (letter) {
    case 'N': return 'name'
    case 'O': return 'company'
    case 'A': return 'street'
    case 'C': return 'city'
    case 'S': return 'region'
    case 'Z': return 'postalCode'
    default: return null
  }
}

const hasPostalCodeCache = new Map<string, boolean>()

/** Whether the country's address format prints a postal code (asked of the library with a probe). */
function usesPostalCode(country: string): boolean {
  let has = hasPostalCodeCache.get(country)
  if (has === undefined) {
    has = libFormatAddress({ postalCountry: country, postalCode: '\u0001' }).some((l) => l.includes('\u0001'))
    hasPostalCodeCache.set(country, has)
  }
  return has
}

function clean(value: string | null | undefined): string {
  return (value ?? '').replace(/\s+/g, ' ').trim()
}

/** The country a recipient's address is in: its own, else the shop's. */
export function destinationCountry(r: Pick<PostalRecipient, 'country'>, homeCountry: string): string {
  return clean(r.country).toUpperCase() || homeCountry.toUpperCase()
}

/**
 * What a recipient's address lacks for its country's post, as field names
 * (empty when complete): street and city everywhere, the postal code where the
 * country's format has one, the state where the country requires it.
 */
export function missingAddressFields(r: PostalRecipient, homeCountry: string): string[] {
  const country = destinationCountry(r, homeCountry)
  const missing: string[] = []
  if (!clean(r.name) && !clean(r.company)) missing.push('name')
  if (!clean(r.street)) missing.push('street')
  if (!clean(r.city) && !CITY_OPTIONAL.has(country)) missing.push('city')
  if (usesPostalCode(country) && !clean(r.postalCode)) missing.push('postal code')
  if (REGION_REQUIRED.has(country) && !clean(r.region)) missing.push('region')
  return missing
}

const displayNames = new Map<string, Intl.DisplayNames>()

/** "DE" → "GERMANY": the country line is printed in capitals (UPU S42). */
export function countryLine(code: string, locale = 'en'): string {
  let names = displayNames.get(locale)
  if (!names) {
    names = new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' })
    displayNames.set(locale, names)
  }
  return (names.of(code) ?? code).toLocaleUpperCase(locale)
}

/**
 * The lines of a postal address in the destination country's order and case
 * (localized-address-format, from Google's libaddressinput data), with a country line
 * in capitals when it is not the sender's country.
 *
 * formatAddress({ name: 'Jane Roe', street: '1 Main St', city: 'Springfield', region: 'IL',
 *   postalCode: '62701', country: 'US' }, { homeCountry: 'US' })
 * // → ['Jane Roe', '1 Main St', 'SPRINGFIELD, IL 62701']
 */
export function formatAddress(r: PostalRecipient, options: FormatOptions): string[] {
  const country = destinationCountry(r, options.homeCountry)
  const upper = UPPER[country] ?? ''
  const value = (letter: string): string => {
    const key = fieldKey(letter)
    const v = key ? clean(r[key] as string | null | undefined) : ''
    return upper.includes(letter) ? v.toLocaleUpperCase() : v
  }
  const streetLines = (r.street ?? '').split(/\r?\n/).map(clean).filter(Boolean)
  // A region that repeats the city ("28014 Madrid Madrid", Tehran in Tehran province) prints once.
  const region = fold(value('S')) === fold(value('C')) ? '' : value('S')
  const text = [r.name, r.company, r.street, r.city, r.region].join(' ')
  const lines = libFormatAddress(
    {
      postalCountry: country,
      name: value('N'),
      organization: value('O'),
      addressLines: upper.includes('A') ? streetLines.map((l) => l.toLocaleUpperCase()) : streetLines,
      locality: value('C'),
      administrativeArea: region,
      postalCode: value('Z'),
    },
    // Japan, China, Korea… write a native-script address big-endian, a Latin one the other way round.
    NATIVE_SCRIPT.test(text) ? 'local' : 'latin',
  )
    .map(clean)
    .filter(Boolean)
  if (country !== options.homeCountry.toUpperCase()) lines.push(countryLine(country, options.countryNameLocale))
  return lines
}

/* Family name first in these countries' own order (Nguyễn Văn An, Kovács János)… */
const FAMILY_NAME_FIRST = new Set(['HU', 'KH', 'VN'])
/* …and in these when the name is written in their own script (田中 宏; but Hiroshi Tanaka). */
const FAMILY_NAME_FIRST_NATIVE = new Set(['CN', 'JP', 'KR', 'TW'])
const NATIVE_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u

/** "Anna Schmidt"; in Vietnam and Hungary (and for a Chinese, Japanese or Korean name in its own script) family name first. */
export function personName(first: string | null, last: string | null, country: string): string {
  const native = FAMILY_NAME_FIRST_NATIVE.has(country) && NATIVE_SCRIPT.test(`${first ?? ''}${last ?? ''}`)
  const parts = FAMILY_NAME_FIRST.has(country) || native ? [last, first] : [first, last]
  return parts.map(clean).filter(Boolean).join(' ')
}
