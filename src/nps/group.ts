import { localDate, startOfLocalDay } from '../query/localTime.js'
import { countScores, type NpsCounts } from './score.js'

/** One answer as the statistics need it. */
export interface ScoredAnswer {
  id: number
  /** Null for an anonymous answer: each counts as a person of its own. */
  customerId: number | null
  score: number
  /** ISO-8601 UTC. */
  answeredAt: string
}

export const PERIODS = ['month', 'quarter', 'year'] as const
export type Period = (typeof PERIODS)[number]
export const SEGMENTS = ['source', 'gender', 'city', 'state', 'campaign', 'tag'] as const
export type Segment = (typeof SEGMENTS)[number]
export type GroupBy = Period | Segment
export const GROUP_BY: readonly GroupBy[] = [...PERIODS, ...SEGMENTS]

export function isPeriod(by: GroupBy): by is Period {
  return (PERIODS as readonly string[]).includes(by)
}

/** The label of groups with no value (no source, anonymous answers, untagged). */
export const NO_VALUE = '(none)'

/**
 * The latest answer of each customer (by time, then by id); anonymous answers all stay.
 * The order of the input is kept.
 */
export function latestPerCustomer<A extends ScoredAnswer>(answers: readonly A[]): A[] {
  const latest = new Map<number, A>()
  for (const a of answers) {
    if (a.customerId === null) continue
    const seen = latest.get(a.customerId)
    if (!seen || a.answeredAt > seen.answeredAt || (a.answeredAt === seen.answeredAt && a.id > seen.id)) latest.set(a.customerId, a)
  }
  return answers.filter((a) => a.customerId === null || latest.get(a.customerId) === a)
}

/** The answers that count: every one, or (the default) each customer's latest. */
export function countedAnswers<A extends ScoredAnswer>(answers: readonly A[], allAnswers: boolean): A[] {
  return allAnswers ? [...answers] : latestPerCustomer(answers)
}

/** "2026-03", "2026-Q1" or "2026": the local calendar period an instant falls in. */
export function periodOf(instant: string | Date, by: Period, timeZone: string): string {
  return periodOfDay(localDate(typeof instant === 'string' ? new Date(instant) : instant, timeZone), by)
}

/** The period a local calendar day (YYYY-MM-DD) falls in. */
export function periodOfDay(day: string, by: Period): string {
  if (by === 'year') return day.slice(0, 4)
  if (by === 'month') return day.slice(0, 7)
  return `${day.slice(0, 4)}-Q${Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1}`
}

/** The local day a period starts on: "2026-Q2" → "2026-04-01". */
function firstDayOf(key: string, by: Period): string {
  if (by === 'year') return `${key}-01-01`
  if (by === 'month') return `${key}-01`
  return `${key.slice(0, 4)}-${String((Number(key.slice(6)) - 1) * 3 + 1).padStart(2, '0')}-01`
}

/**
 * A fast `periodOf` for many instants between `earliest` and `latest` (ISO-8601 UTC): the
 * UTC start of each local period is computed once, then each instant is placed by binary
 * search on the ISO text (which sorts like time), instead of a time-zone lookup per answer.
 */
export function periodKeyer(by: Period, timeZone: string, earliest: string, latest: string): (instant: string) => string {
  const keys = periodsBetween(periodOf(earliest, by, timeZone), periodOf(latest, by, timeZone), by)
  const starts = keys.map((k) => startOfLocalDay(firstDayOf(k, by), timeZone).toISOString())
  return (instant) => {
    // The last period whose start is at or before the instant.
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= instant) lo = mid
      else hi = mid - 1
    }
    return keys[lo]!
  }
}

/** Every period from `first` to `last` inclusive, so a trend shows its empty months too. */
export function periodsBetween(first: string, last: string, by: Period): string[] {
  const index = (key: string): number => {
    const year = Number(key.slice(0, 4))
    if (by === 'year') return year
    if (by === 'month') return year * 12 + Number(key.slice(5, 7)) - 1
    return year * 4 + Number(key.slice(6)) - 1
  }
  const label = (i: number): string => {
    if (by === 'year') return String(i)
    if (by === 'month') return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`
    return `${Math.floor(i / 4)}-Q${(i % 4) + 1}`
  }
  const out: string[] = []
  for (let i = index(first); i <= index(last); i++) out.push(label(i))
  return out
}

export interface AnswerGroup {
  key: string
  counts: NpsCounts
}

/**
 * Counts per group. `keysOf` names the groups an answer belongs to (several for tags).
 * Within each group only a customer's latest answer counts unless `allAnswers`, so a
 * customer who answers every month counts once in each month of a trend.
 */
export function groupCounts<A extends ScoredAnswer>(
  answers: readonly A[],
  keysOf: (a: A) => readonly string[],
  allAnswers: boolean,
): Map<string, NpsCounts> {
  const groups = new Map<string, A[]>()
  for (const a of answers) {
    for (const key of keysOf(a)) {
      let list = groups.get(key)
      if (!list) groups.set(key, (list = []))
      list.push(a)
    }
  }
  const out = new Map<string, NpsCounts>()
  for (const [key, list] of groups) out.set(key, countScores(countedAnswers(list, allAnswers).map((a) => a.score)))
  return out
}

/**
 * Groups in display order: periods in time order with the empty ones between (and from
 * `range` where a window gives a start or an end); segments by number of answers, largest first, "(none)" last.
 */
export function orderGroups(counts: Map<string, NpsCounts>, by: GroupBy, range?: { first?: string; last?: string }): AnswerGroup[] {
  const empty: NpsCounts = { promoters: 0, passives: 0, detractors: 0 }
  if (isPeriod(by)) {
    const keys = [...counts.keys()].sort()
    const first = range?.first ?? keys[0]
    const last = range?.last ?? keys[keys.length - 1]
    if (first === undefined || last === undefined) return []
    return periodsBetween(first, last, by).map((key) => ({ key, counts: counts.get(key) ?? empty }))
  }
  const n = (c: NpsCounts) => c.promoters + c.passives + c.detractors
  return [...counts.entries()]
    .map(([key, c]) => ({ key, counts: c }))
    .sort((a, b) => {
      if ((a.key === NO_VALUE) !== (b.key === NO_VALUE)) return a.key === NO_VALUE ? 1 : -1
      return n(b.counts) - n(a.counts) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
    })
}
