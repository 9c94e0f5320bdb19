import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { UsageError } from '../errors.js'
import type { FilterContext } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { localDate } from '../query/localTime.js'
import { answerWindow, previousAnswerWindow, windowDays, type AnswerWindow, type AnswerWindowSpec } from './answerWindow.js'
import { compareNps, describeComparison } from './compare.js'
import { countedAnswers, groupCounts, isPeriod, NO_VALUE, orderGroups, periodKeyer, periodOfDay, type GroupBy } from './group.js'
import { countAnswers, isEmptyFilter, loadAnswers, tagsOfCustomers, type LoadedAnswer } from './loadAnswers.js'
import { countScores, npsSummary, round1, SMALL_N, total, type NpsCounts, type NpsSummary } from './score.js'

export type CompareMode = 'previous' | 'rest'

export interface NpsReportOptions {
  /** The customer filter, segments already resolved. */
  filter: FilterSpec
  answered: AnswerWindowSpec
  campaign?: string
  /** Count every answer instead of each customer's latest. */
  allAnswers: boolean
  adjusted: boolean
  by?: GroupBy
  compare?: CompareMode
}

/** One line of `crm nps`: a group (or the whole population) and, when comparing, the change. */
export interface NpsReportRow extends NpsSummary {
  /** The period or segment; the window when comparing windows; null for the whole population. */
  group: string | null
  vs?: string | null
  diff?: number | null
  diff_low?: number | null
  diff_high?: number | null
  z?: number | null
  p_value?: number | null
  verdict?: string | null
}

export interface NpsReport {
  /** What `group` holds: the --by name, "window", or null when there is one row. */
  groupColumn: string | null
  rows: NpsReportRow[]
  comparing: boolean
  /** The answer window, e.g. "2026-10-24..2026-11-23" or "all time". */
  window: string
}

/**
 * The score of the answers a filter and window select: one row, one per --by group, or
 * two windows side by side; with `compare`, each row says whether it differs beyond noise.
 */
export async function npsReport(db: Kysely<Database>, o: NpsReportOptions, ctx: FilterContext): Promise<NpsReport> {
  checkCombination(o)
  const tz = ctx.config.timezone
  const timeCtx = { now: ctx.now, timeZone: tz }
  const window = answerWindow(o.answered, timeCtx)
  const summarise = (c: NpsCounts) => npsSummary(c, { adjusted: o.adjusted })
  const counted = (list: readonly LoadedAnswer[]) => countScores(countedAnswers(list, o.allAnswers).map((a) => a.score))
  // Without --by the counts come straight from the database; only groups need the rows.
  const countIn = (w: AnswerWindow, filter: FilterSpec) => countAnswers(db, { filter, window: w, campaign: o.campaign }, ctx, o.allAnswers)

  if (o.compare === 'previous' && o.by === undefined) {
    const prevWindow = previousAnswerWindow(o.answered, timeCtx)
    const before = await countIn(prevWindow, o.filter)
    const after = await countIn(window, o.filter)
    const rows: NpsReportRow[] = [
      { group: prevWindow.label, ...summarise(before), ...noComparison() },
      { group: window.label, ...summarise(after), ...comparison(before, after, prevWindow.label, o.adjusted) },
    ]
    return finish({ groupColumn: 'window', rows, comparing: true, window: window.label })
  }

  if (o.by === undefined) {
    const segment = await countIn(window, o.filter)
    const row: NpsReportRow = { group: null, ...summarise(segment) }
    if (o.compare === 'rest') {
      // The filter selects whole customers, so their latest answers are among everyone's
      // latest answers: the rest is everyone minus the segment, anonymous answers included.
      const everyone = await countIn(window, {})
      const rest = { promoters: everyone.promoters - segment.promoters, passives: everyone.passives - segment.passives, detractors: everyone.detractors - segment.detractors }
      Object.assign(row, comparison(rest, segment, 'rest', o.adjusted, true))
    }
    return finish({ groupColumn: null, rows: [row], comparing: o.compare !== undefined, window: window.label })
  }

  const withCustomer = o.by === 'source' || o.by === 'gender' || o.by === 'city' || o.by === 'state'
  const answers = await loadAnswers(db, { filter: o.filter, window, campaign: o.campaign }, ctx, withCustomer)
  const by = o.by
  const keysOf = await groupKeys(db, by, answers, tz)
  const counts = groupCounts(answers, keysOf, o.allAnswers)
  const days = windowDays(window, timeCtx)
  // A window open at its end runs through today; a window open at its start begins with the first answer.
  const lastDay = days.last ?? (days.first !== null ? localDate(ctx.now, tz) : null)
  const range = isPeriod(by)
    ? { first: days.first !== null ? periodOfDay(days.first, by) : undefined, last: lastDay !== null ? periodOfDay(lastDay, by) : undefined }
    : undefined
  const groups = orderGroups(counts, by, range)
  // Source, gender, city, state and tag belong to the customer, so all of a customer's answers
  // are in a group or none are, and the rest is everything minus the group. So it is for
  // campaigns with --all-answers; only a customer's latest answer per campaign needs a recount.
  const everything = o.compare === 'rest' ? counted(answers) : null
  const restOf = (key: string, group: NpsCounts): NpsCounts => {
    if (by === 'campaign' && !o.allAnswers) return counted(answers.filter((a) => !keysOf(a).includes(key)))
    return { promoters: everything!.promoters - group.promoters, passives: everything!.passives - group.passives, detractors: everything!.detractors - group.detractors }
  }
  const rows: NpsReportRow[] = groups.map((g, i) => {
    const row: NpsReportRow = { group: g.key, ...summarise(g.counts) }
    if (o.compare === 'previous') {
      const prev = groups[i - 1]
      Object.assign(row, prev ? comparison(prev.counts, g.counts, prev.key, o.adjusted) : noComparison())
    } else if (o.compare === 'rest') {
      Object.assign(row, comparison(restOf(g.key, g.counts), g.counts, 'rest', o.adjusted, true))
    }
    return row
  })
  return finish({ groupColumn: by, rows, comparing: o.compare !== undefined, window: window.label })
}

function checkCombination(o: NpsReportOptions): void {
  if (o.compare === 'previous' && o.by !== undefined && !isPeriod(o.by)) {
    throw new UsageError(`--compare previous compares periods: use --by month|quarter|year, or --compare rest for --by ${o.by}`)
  }
  if (o.compare === 'rest' && o.by !== undefined && isPeriod(o.by)) {
    throw new UsageError(`--compare rest compares segments: use --compare previous with --by ${o.by}`)
  }
  if (o.compare === 'rest' && o.by === undefined && isEmptyFilter(o.filter)) {
    throw new UsageError('--compare rest needs a segment: a filter such as --gender f, or --by source|gender|city|state|campaign|tag')
  }
}

/** The groups an answer belongs to; text values are grouped by their folded key. */
async function groupKeys(db: Kysely<Database>, by: GroupBy, answers: LoadedAnswer[], tz: string): Promise<(a: LoadedAnswer) => string[]> {
  if (isPeriod(by)) {
    if (answers.length === 0) return () => []
    let earliest = answers[0]!.answeredAt
    let latest = earliest
    for (const a of answers) {
      if (a.answeredAt < earliest) earliest = a.answeredAt
      if (a.answeredAt > latest) latest = a.answeredAt
    }
    const keyOf = periodKeyer(by, tz, earliest, latest)
    return (a) => [keyOf(a.answeredAt)]
  }
  if (by === 'tag') {
    const ids = answers.map((a) => a.customerId).filter((id): id is number => id !== null)
    const tags = await tagsOfCustomers(db, ids)
    return (a) => (a.customerId !== null ? tags.get(a.customerId) : undefined) ?? [NO_VALUE]
  }
  if (by === 'gender') return (a) => [a.gender ?? NO_VALUE]
  if (by === 'campaign') return (a) => [a.campaign ?? NO_VALUE]
  // München and Munchen are one city: the first spelling seen names the group.
  const pick = {
    source: (a: LoadedAnswer) => [a.sourceKey, a.source] as const,
    city: (a: LoadedAnswer) => [a.cityKey, a.city] as const,
    state: (a: LoadedAnswer) => [a.regionKey, a.region] as const,
  }[by]
  const labels = new Map<string, string>()
  for (const a of answers) {
    const [key, value] = pick(a)
    if (key !== null && value !== null && !labels.has(key)) labels.set(key, value)
  }
  return (a) => {
    const key = pick(a)[0]
    return [key === null ? NO_VALUE : (labels.get(key) ?? key)]
  }
}

function noComparison(): Partial<NpsReportRow> {
  return { vs: null, diff: null, diff_low: null, diff_high: null, z: null, p_value: null, verdict: null }
}

function comparison(before: NpsCounts, after: NpsCounts, vs: string, adjusted: boolean, versus = false): Partial<NpsReportRow> {
  const c = compareNps(before, after, { adjusted })
  if (!c) {
    const empty = total(before) === 0 ? (vs === 'rest' ? 'the rest has' : `${vs} has`) : 'this row has'
    return { ...noComparison(), vs, verdict: `no comparison: ${empty} no answers` }
  }
  return {
    vs,
    diff: round1(c.diff),
    diff_low: round1(c.diffLow),
    diff_high: round1(c.diffHigh),
    z: Math.round(c.z * 100) / 100,
    p_value: Math.round(c.pValue * 10000) / 10000,
    verdict: describeComparison(c, versus ? { versus: 'the rest' } : {}),
  }
}

function finish(r: NpsReport): NpsReport {
  for (const row of r.rows) {
    row.promoters_pct = round1(row.promoters_pct)
    row.passives_pct = round1(row.passives_pct)
    row.detractors_pct = round1(row.detractors_pct)
    row.nps = round1(row.nps)
    row.low = round1(row.low)
    row.high = round1(row.high)
  }
  return r
}

/** Rows with fewer than SMALL_N answers (but some): their scores say little. */
export function smallRows(rows: readonly NpsReportRow[]): NpsReportRow[] {
  return rows.filter((r) => r.n > 0 && r.n < SMALL_N)
}

