/** Field parsers return the value or a `ParseError` carrying the reason. */
export class ParseError {
  constructor(readonly reason: string) {}
}

export type DateOrder = 'mdy' | 'dmy' | 'ymd'

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, sept: 9, oct: 10, nov: 11, dec: 12,
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate()
}

const pad2 = (n: number) => String(n).padStart(2, '0')

function checked(y: number | null, m: number, d: number, text: string): string | ParseError {
  if (m < 1 || m > 12) return new ParseError(`"${text}" is not a date (month ${m})`)
  const max = y == null ? (m === 2 ? 29 : daysInMonth(2000, m)) : daysInMonth(y, m)
  if (d < 1 || d > max) return new ParseError(`"${text}" is not a date (no day ${d} in that month)`)
  if (y == null) return `--${pad2(m)}-${pad2(d)}`
  if (y < 1000 || y > 2999) return new ParseError(`"${text}" is not a date (year ${y})`)
  return `${y}-${pad2(m)}-${pad2(d)}`
}

function fullYear(y: string): number {
  if (y.length === 4) return Number(y)
  // Two-digit years: 00–29 are 2000s, 30–99 the 1900s (the spreadsheet convention).
  const n = Number(y)
  return n < 30 ? 2000 + n : 1900 + n
}

/**
 * A calendar date from what spreadsheets write: ISO (1990-03-25), compact (19900325),
 * local forms in the given order (03/25/1990 or 25.03.1990: a dot always means day first),
 * month names (25 Mar 1990, March 25, 1990), and vCard's year-less --03-25.
 * Returns `YYYY-MM-DD` (or `--MM-DD` when the year is unknown).
 */
export function parseDate(text: string, order: DateOrder): string | ParseError {
  const t = text.trim()
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(t)
  // Square writes a birthday without its year as year 0000 (0000-09-21).
  if (m) return checked(m[1] === '0000' ? null : Number(m[1]), Number(m[2]), Number(m[3]), t)
  m = /^(\d{4})(\d{2})(\d{2})$/.exec(t)
  if (m) return checked(Number(m[1]), Number(m[2]), Number(m[3]), t)
  m = /^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$/.exec(t)
  if (m) return checked(Number(m[1]), Number(m[2]), Number(m[3]), t)
  m = /^--(\d{2})-?(\d{2})$/.exec(t)
  if (m) return checked(null, Number(m[1]), Number(m[2]), t)
  m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/.exec(t)
  if (m) {
    const a = Number(m[1])
    const b = Number(m[3])
    const y = fullYear(m[4]!)
    const dayFirst = m[2] === '.' || order === 'dmy'
    return dayFirst ? checked(y, b, a, t) : checked(y, a, b, t)
  }
  // A birthday without its year, as Mailchimp writes it (07/04): in the file's order.
  m = /^(\d{1,2})([/.])(\d{1,2})\.?$/.exec(t)
  if (m) {
    const a = Number(m[1])
    const b = Number(m[3])
    return m[2] === '.' || order === 'dmy' ? checked(null, b, a, t) : checked(null, a, b, t)
  }
  m = /^(\d{1,2})\.?\s+([a-z]+)\.?,?\s+(\d{4})$/i.exec(t)
  if (m && MONTHS[m[2]!.slice(0, 4).toLowerCase()] !== undefined) return checked(Number(m[3]), monthOf(m[2]!), Number(m[1]), t)
  m = /^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/i.exec(t)
  if (m && monthOf(m[1]!)) return checked(Number(m[3]), monthOf(m[1]!), Number(m[2]), t)
  return new ParseError(`"${t}" is not a date (use YYYY-MM-DD, or --date-format for local forms)`)
}

function monthOf(name: string): number {
  const key = name.toLowerCase()
  return MONTHS[key.slice(0, 4)] ?? MONTHS[key.slice(0, 3)] ?? 0
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>()

/** The zone's offset from UTC, in ms, at the given instant. */
function zoneOffsetMs(instant: number, timeZone: string): number {
  let f = offsetFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    })
    offsetFormatters.set(timeZone, f)
  }
  const p: Record<string, number> = {}
  for (const part of f.formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value)
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  return asUtc - Math.floor(instant / 1000) * 1000
}

/** A wall-clock time in a zone, as a UTC instant (ms). DST gaps resolve forward. */
export function zonedToUtc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number, timeZone: string): number {
  const guess = Date.UTC(y, mo - 1, d, h, mi, s, ms)
  if (timeZone === 'UTC') return guess
  const first = guess - zoneOffsetMs(guess, timeZone)
  const second = guess - zoneOffsetMs(first, timeZone)
  // In a spring-forward gap the wall time does not exist: `second` would land an hour
  // early; `first` is the same clock reading moved forward, as people mean it.
  return second + zoneOffsetMs(second, timeZone) === guess ? second : first
}

/**
 * A point in time: any date form parseDate() reads, optionally followed by a time
 * (HH:MM[:SS[.fff]], AM/PM) and a zone (Z, +02:00). Without a zone the time is
 * local to `timeZone`. Returns ISO-8601 UTC text.
 */
export function parseTimestamp(text: string, order: DateOrder, timeZone: string): string | ParseError {
  const t = text.trim()
  const m = /^(.*?\d)(?:[T ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?\s*([ap]\.?m\.?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?)?$/i.exec(t)
  if (!m) return new ParseError(`"${t}" is not a date and time`)
  const date = parseDate(m[1]!, order)
  if (date instanceof ParseError) return date
  if (date.startsWith('--')) return new ParseError(`"${t}" has no year`)
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  let h = m[2] ? Number(m[2]) : 0
  const mi = m[3] ? Number(m[3]) : 0
  const s = m[4] ? Number(m[4]) : 0
  const ms = m[5] ? Number(m[5].slice(0, 3).padEnd(3, '0')) : 0
  if (m[6]) {
    const pm = m[6].toLowerCase().startsWith('p')
    if (h < 1 || h > 12) return new ParseError(`"${t}" is not a time`)
    h = (h % 12) + (pm ? 12 : 0)
  }
  if (h > 23 || mi > 59 || s > 59) return new ParseError(`"${t}" is not a time`)
  const zone = m[7]
  let instant: number
  if (zone) {
    const base = Date.UTC(y, mo - 1, d, h, mi, s, ms)
    if (/^(z|utc)$/i.test(zone)) instant = base
    else {
      const sign = zone[0] === '-' ? -1 : 1
      const digits = zone.slice(1).replace(':', '')
      instant = base - sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000
    }
  } else {
    instant = zonedToUtc(y, mo, d, h, mi, s, ms, timeZone)
  }
  return new Date(instant).toISOString()
}
