/**
 * Calendar arithmetic in the shop's time zone. "The last 30 days" and "birthdays this
 * week" are about the shop's calendar, not UTC's, so every window starts at a local midnight.
 */

const dateFormatters = new Map<string, Intl.DateTimeFormat>()
const partFormatters = new Map<string, Intl.DateTimeFormat>()

function dateFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = dateFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dateFormatters.set(timeZone, f)
  }
  return f
}

/**
 * UTC needs no time zone data: the first Intl formatter of a process costs about 25 ms
 * (ICU's start), more than a small query (issue 18). UTC is the config's default zone.
 */
const isUtc = (timeZone: string) => timeZone === 'UTC' || timeZone === 'Etc/UTC'

/** The local calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date | number, timeZone: string): string {
  if (isUtc(timeZone)) return new Date(instant).toISOString().slice(0, 10)
  const parts = dateFormatter(timeZone).formatToParts(instant)
  const get = (t: string) => parts.find((p) => p.type === t)!.value
  return `${get('year')}-${get('month')}-${get('day')}`
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(instant: number, timeZone: string): number {
  if (isUtc(timeZone)) return 0
  let f = partFormatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    partFormatters.set(timeZone, f)
  }
  const p: Record<string, number> = {}
  for (const part of f.formatToParts(instant)) if (part.type !== 'literal') p[part.type] = Number(part.value)
  const asUtc = Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  return asUtc - Math.floor(instant / 1000) * 1000
}

/**
 * The first instant of a local calendar day, as a UTC Date. Where a DST change skips
 * midnight (America/Santiago in September) the day begins at 01:00; where midnight
 * happens twice, the earlier one counts.
 */
export function startOfLocalDay(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const guess = Date.UTC(y, m - 1, d)
  const day = 86_400_000
  const candidates = [offsetAt(guess - day, timeZone), offsetAt(guess, timeZone), offsetAt(guess + day, timeZone)]
    .map((off) => guess - off)
    .filter((t) => localDate(t, timeZone) === date)
  return new Date(candidates.length ? Math.min(...candidates) : guess)
}

/** A calendar date plus or minus whole days (YYYY-MM-DD in, YYYY-MM-DD out). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10)
}

/** True for a real calendar date written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false
  const [y, m, d] = text.split('-').map(Number) as [number, number, number]
  const t = new Date(Date.UTC(y, m - 1, d))
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/**
 * The same month and day `years` earlier; 29 February becomes 28 February in a year
 * without one. Used as an age cutoff (born on or before it = at least `years` old), this
 * makes someone born on 29 February a year older on 1 March in common years.
 */
export function yearsBefore(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number]
  const year = y - years
  const day = m === 2 && d === 29 && !isLeapYear(year) ? 28 : d
  return `${String(year).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
