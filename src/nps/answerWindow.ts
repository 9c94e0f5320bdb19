import { UsageError } from '../errors.js'
import { addDays, localDate, startOfLocalDay } from '../query/localTime.js'

/**
 * Which answers count by when they were given: `--answered-days N` (local midnight N days
 * before today through now) or `--answered-since`/`--answered-until` (whole local days).
 * Kept apart from the purchase window (`--days`) of the customer filter.
 */
export interface AnswerWindowSpec {
  days?: number
  since?: string
  until?: string
}

/** Half-open bounds, ISO-8601 UTC: from ≤ answered_at < to; null is open. */
export interface AnswerWindow {
  from: string | null
  to: string | null
  /** "2026-10-24..2026-11-23", in local dates; "all time" when open both ends. */
  label: string
}

interface Ctx {
  now: Date
  timeZone: string
}

export function answerWindow(spec: AnswerWindowSpec, ctx: Ctx): AnswerWindow {
  const tz = ctx.timeZone
  const today = localDate(ctx.now, tz)
  if (spec.days !== undefined) {
    const first = addDays(today, -spec.days)
    return {
      from: startOfLocalDay(first, tz).toISOString(),
      // Through now: an answer stamped this very millisecond is in.
      to: new Date(ctx.now.getTime() + 1).toISOString(),
      label: `${first}..${today}`,
    }
  }
  const from = spec.since ? startOfLocalDay(spec.since, tz).toISOString() : null
  const to = spec.until ? startOfLocalDay(addDays(spec.until, 1), tz).toISOString() : null
  // A window open at its end runs through today.
  const label = spec.since || spec.until ? `${spec.since ?? ''}..${spec.until ?? today}` : 'all time'
  return { from, to, label }
}

/**
 * The window of the same length just before: for `--answered-days 30` the 30 days before
 * the first day, for `--answered-since 2026-10-01 --answered-until 2026-10-31` September
 * 1–30 (31 days back). A window open at its start has no "before".
 */
export function previousAnswerWindow(spec: AnswerWindowSpec, ctx: Ctx): AnswerWindow {
  const tz = ctx.timeZone
  const today = localDate(ctx.now, tz)
  let first: string
  let length: number
  if (spec.days !== undefined) {
    first = addDays(today, -spec.days)
    length = Math.max(spec.days, 1)
  } else if (spec.since !== undefined) {
    first = spec.since
    const last = spec.until ?? today
    length = daysBetween(first, last) + 1
  } else {
    throw new UsageError('--compare previous needs a window with a start: --answered-days N or --answered-since DATE')
  }
  const prevFirst = addDays(first, -length)
  const prevLast = addDays(first, -1)
  return {
    from: startOfLocalDay(prevFirst, tz).toISOString(),
    to: startOfLocalDay(first, tz).toISOString(),
    label: `${prevFirst}..${prevLast}`,
  }
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b + 'T00:00:00Z') - Date.parse(a + 'T00:00:00Z')) / 86_400_000)
}

/** The local dates a window starts and ends on (for filling a trend), or null where open. */
export function windowDays(w: AnswerWindow, ctx: Ctx): { first: string | null; last: string | null } {
  return {
    first: w.from ? localDate(new Date(w.from), ctx.timeZone) : null,
    last: w.to ? localDate(new Date(Date.parse(w.to) - 1), ctx.timeZone) : null,
  }
}
