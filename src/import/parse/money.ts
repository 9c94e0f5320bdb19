import { ParseError } from './dates.js'

const SYMBOL_CURRENCY: Record<string, string> = { '€': 'EUR', '£': 'GBP', '₽': 'RUB', '₫': 'VND', '﷼': 'IRR', '₹': 'INR', '₩': 'KRW', '¥': 'JPY' }

const minorDigitsCache = new Map<string, number>()

/** Decimal places of a currency's minor unit (2 for USD, 0 for JPY, 3 for KWD), from ICU. */
export function minorDigits(currency: string): number {
  let d = minorDigitsCache.get(currency)
  if (d === undefined) {
    d = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
    minorDigitsCache.set(currency, d)
  }
  return d
}

const currencyCodeCache = new Map<string, boolean>()

/** An ISO 4217 code ICU knows. Cached: asking ICU costs ~25 µs, once per row of a purchases file. */
export function isCurrencyCode(code: string): boolean {
  let known = currencyCodeCache.get(code)
  if (known === undefined) {
    known = /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code)
    // Bounded: a file of invented codes must not grow the cache without end.
    if (currencyCodeCache.size < 1000) currencyCodeCache.set(code, known)
  }
  return known
}

export interface Money {
  cents: number
  /** A currency named inside the cell ("12,50 €", "EUR 12.50"), if any. */
  currency: string | null
}

/**
 * An amount as spreadsheets write it: 49.90, 1,234.56, 1.234,56, € 12,50, $-5.00, (5.00)
 * for a refund. The last of ',' and '.' followed by 1–3 digits at the end is the decimal mark;
 * a lone ',' followed by exactly three digits is a thousands separator. Returns integer minor units.
 */
export function parseAmount(text: string, currency: string): Money | ParseError {
  let t = text.trim()
  let negative = false
  let found: string | null = null
  if (/^\(.*\)$/.test(t)) {
    negative = true
    t = t.slice(1, -1)
  }
  const code = /\b([A-Z]{3})\b/.exec(t)
  if (code) {
    found = code[1]!
    t = t.replace(code[0], '')
  }
  for (const [sym, cur] of Object.entries(SYMBOL_CURRENCY)) {
    if (t.includes(sym)) {
      found ??= cur
      t = t.replace(sym, '')
    }
  }
  t = t.replace(/[$\s\u00a0\u202f']/g, '')
  if (t.startsWith('-')) {
    negative = !negative
    t = t.slice(1)
  } else if (t.endsWith('-')) {
    negative = !negative
    t = t.slice(0, -1)
  } else if (t.startsWith('+')) t = t.slice(1)
  if (!/^\d[\d.,]*$/.test(t) && !/^[.,]\d+$/.test(t)) return new ParseError(`"${text}" is not an amount`)
  const lastDot = t.lastIndexOf('.')
  const lastComma = t.lastIndexOf(',')
  let decimalMark: '.' | ',' | null = null
  if (lastDot >= 0 && lastComma >= 0) decimalMark = lastDot > lastComma ? '.' : ','
  else if (lastDot >= 0) decimalMark = t.indexOf('.') === lastDot ? '.' : null
  else if (lastComma >= 0) decimalMark = t.indexOf(',') === lastComma && t.length - lastComma - 1 !== 3 ? ',' : null
  let intPart = t
  let fracPart = ''
  if (decimalMark) {
    const at = t.lastIndexOf(decimalMark)
    intPart = t.slice(0, at)
    fracPart = t.slice(at + 1)
  }
  // Thousands separators must group by three: "12.345.67" is a typo, not a number.
  if (/[.,]/.test(intPart) && !/^\d{1,3}(?:[.,]\d{3})+$/.test(intPart)) return new ParseError(`"${text}" is not an amount`)
  intPart = intPart.replace(/[.,]/g, '')
  if (!/^\d*$/.test(intPart) || !/^\d*$/.test(fracPart)) return new ParseError(`"${text}" is not an amount`)
  // A bad code (in the cell or the currency column) is a row error, not ICU's RangeError.
  const code3 = found ?? currency
  if (!minorDigitsCache.has(code3) && !isCurrencyCode(code3)) return new ParseError(`"${code3}" is not a currency code`)
  const digits = minorDigits(code3)
  if (fracPart.length > digits) {
    if (/[^0]/.test(fracPart.slice(digits))) return new ParseError(`"${text}" has more decimals than ${found ?? currency} allows`)
    fracPart = fracPart.slice(0, digits)
  }
  const cents = Number(intPart || '0') * 10 ** digits + Number(fracPart.padEnd(digits, '0') || '0')
  if (!Number.isSafeInteger(cents)) return new ParseError(`"${text}" is too large`)
  return { cents: negative ? -cents : cents, currency: found }
}
