/**
 * Calendar periods in the shop's time zone: a sale at 23:30 on 31 December in Berlin
 * belongs to December and to that year, whatever UTC says. Pure: no database.
 */
import { addDays, localDate, startOfLocalDay } from '../query/localTime.js'

export const PERIOD_KINDS = ['day', 'week', 'month', 'quarter', 'year'] as const
export type PeriodKind = (typeof PERIOD_KINDS)[number]

/** One period: its label, the local date it starts, and its half-open UTC bounds. */
export interface Period {
  label: string
  start: string
  from: string
  to: string
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

function parts(date: string): [number, number, number] {
  return date.split('-').map(Number) as [number, number, number]
}

/** The local date (YYYY-MM-DD) on which the period holding `date` starts; weeks start on Monday (ISO 8601). */
export function periodStart(date: string, kind: PeriodKind): string {
  const [y, m] = parts(date)
  switch (kind) {
    case 'day':
      return date
    case 'week': {
      const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7 // Monday 0 … Sunday 6
      return addDays(date, -weekday)
    }
    case 'month':
      return `${pad(y, 4)}-${pad(m)}-01`
    case 'quarter':
      return `${pad(y, 4)}-${pad(m - ((m - 1) % 3))}-01`
    case 'year':
      return `${pad(y, 4)}-01-01`
  }
}

/** The start of the period after the one starting on `start`. */
export function nextPeriodStart(start: string, kind: PeriodKind): string {
  const [y, m] = parts(start)
  switch (kind) {
    case 'day':
      return addDays(start, 1)
    case 'week':
      return addDays(start, 7)
    case 'month':
      return m === 12 ? `${pad(y + 1, 4)}-01-01` : `${pad(y, 4)}-${pad(m + 1)}-01`
    case 'quarter':
      return m >= 10 ? `${pad(y + 1, 4)}-01-01` : `${pad(y, 4)}-${pad(m + 3)}-01`
    case 'year':
      return `${pad(y + 1, 4)}-01-01`
  }
}

/** 2026-11-23, 2026-W48 (ISO week, whose year can differ from the calendar's), 2026-11, 2026-Q4, 2026. */
export function periodLabel(start: string, kind: PeriodKind): string {
  const [y, m] = parts(start)
  switch (kind) {
    case 'day':
      return start
    case 'week': {
      // The ISO week-year is the year of the week's Thursday; week 1 holds the year's first Thursday.
      const thursday = addDays(start, 3)
      const isoYear = Number(thursday.slice(0, 4))
      const jan1 = Date.UTC(isoYear, 0, 1)
      const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - jan1) / (7 * 86_400_000)) + 1
      return `${pad(isoYear, 4)}-W${pad(week)}`
    }
    case 'month':
      return start.slice(0, 7)
    case 'quarter':
      return `${pad(y, 4)}-Q${Math.floor((m - 1) / 3) + 1}`
    case 'year':
      return start.slice(0, 4)
  }
}

/**
 * Every period from the one holding `first` through the one holding `last` (instants),
 * with bounds at local midnights: a day across a DST change is 23 or 25 hours long.
 */
export function periodsBetween(first: Date, last: Date, kind: PeriodKind, timeZone: string): Period[] {
  const out: Period[] = []
  const lastDate = localDate(last, timeZone)
  let start = periodStart(localDate(first, timeZone), kind)
  let from = startOfLocalDay(start, timeZone).toISOString()
  while (start <= lastDate) {
    const next = nextPeriodStart(start, kind)
    const to = startOfLocalDay(next, timeZone).toISOString()
    out.push({ label: periodLabel(start, kind), start, from, to })
    start = next
    from = to
  }
  return out
}

/** Index of the period holding an ISO instant (binary search over `from`), or -1 outside them all. */
export function periodIndex(periods: readonly Period[], instant: string): number {
  let lo = 0
  let hi = periods.length - 1
  if (hi < 0 || instant < periods[0]!.from || instant >= periods[hi]!.to) return -1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (periods[mid]!.from <= instant) lo = mid
    else hi = mid - 1
  }
  return lo
}
