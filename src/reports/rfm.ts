import { sql } from 'kysely'
import { forEachRow, idSetOf, type ReportDb } from '../db/reportRows.js'
import { customerIdsMatching, purchaseWindow, usesSqlite } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { selectsEveryone, type FilterContext } from './reportScope.js'
import { rfmTotalsSql } from './rfmScores.js'
import { quintileScores, RFM_SEGMENTS, rfmSegment, type RfmSegment } from './rfmSegments.js'

export interface RfmCustomerRow {
  id: number
  first_name: string | null
  last_name: string | null
  email: string | null
  last_purchase_at: string
  recency_days: number
  orders: number
  spent_cents: number
  r: number
  f: number
  m: number
  /** The three scores as one code, e.g. "545". */
  rfm: string
  segment: RfmSegment
}

export interface RfmSegmentRow {
  segment: RfmSegment
  customers: number
  /** Percent of the customers shown, one decimal. */
  share: number
  avg_recency_days: number | null
  avg_orders: number | null
  avg_spent_cents: number | null
}

/** Every scored customer of the base, column-wise. */
interface Scored {
  ids: Int32Array
  lastAt: string[]
  recency: Int32Array
  orders: Int32Array
  spent: Float64Array
  r: Uint8Array
  f: Uint8Array
  m: Uint8Array
  /** Index into RFM_SEGMENTS. */
  segment: Uint8Array
}

/** rfmSegment() for every (R, F, M), looked up rather than recomputed a million times. */
const SEGMENT_OF = (() => {
  const table = new Uint8Array(6 * 6 * 6)
  for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) table[r * 36 + f * 6 + m] = RFM_SEGMENTS.indexOf(rfmSegment(r, f, m))
  return table
})()

/**
 * Totals from SQL (one streamed pass over purchases_customer), scored here: sorting a
 * million numbers in a typed array is cheaper than SQLite's three rank() windows. Same
 * rule as the SQL behind `--rfm-segment` (rfmScoresSql); a test holds the two together.
 * The million totals go straight into typed arrays (forEachRow), never into row objects.
 */
async function scoreBase(crm: ReportDb, spec: FilterSpec, ctx: FilterContext): Promise<Scored> {
  const totals = rfmTotalsSql({ window: purchaseWindow(spec, ctx), now: ctx.now, currency: ctx.config.currency, sqlite: usesSqlite(crm.db) })
  let n = 0
  let size = 1 << 16
  let ids = new Int32Array(size)
  let recency = new Int32Array(size)
  let orders = new Int32Array(size)
  let spent = new Float64Array(size)
  const lastAt: string[] = []
  const grow = <T extends Int32Array | Float64Array>(a: T): T => {
    const b = new (a.constructor as new (n: number) => T)(size)
    b.set(a)
    return b
  }
  await forEachRow(crm, {
    columns: [sql`t.customer_id`, sql`t.last_purchase_at`, sql`t.recency_days`, sql`t.orders`, sql`t.spent_cents`],
    from: sql`(${totals}) t`,
    where: sql`1 = 1`,
  }, (id: number, last: string, days: number, count: number, cents: number) => {
    if (n === size) {
      size *= 2
      ids = grow(ids)
      recency = grow(recency)
      orders = grow(orders)
      spent = grow(spent)
    }
    ids[n] = id
    lastAt.push(last)
    recency[n] = days
    orders[n] = count
    spent[n] = cents
    n++
  })
  const s: Scored = {
    ids: ids.subarray(0, n), lastAt, recency: recency.subarray(0, n), orders: orders.subarray(0, n), spent: spent.subarray(0, n),
    r: quintileScores(recency.subarray(0, n), false), f: quintileScores(orders.subarray(0, n)), m: quintileScores(spent.subarray(0, n)),
    segment: new Uint8Array(n),
  }
  for (let i = 0; i < n; i++) s.segment[i] = SEGMENT_OF[s.r[i]! * 36 + s.f[i]! * 6 + s.m[i]!]!
  return s
}

/**
 * Indexes of the scored customers the filter selects: scored against the whole base for
 * the purchase window, shown when the rest of the filter selects them. `--rfm-segment` is
 * applied to the scores directly rather than through the filter, so the scoring runs once.
 */
async function selectedScores(crm: ReportDb, spec: FilterSpec, ctx: FilterContext): Promise<{ s: Scored; picked: number[] }> {
  const { rfmSegment: wanted, ...rest } = spec
  const s = await scoreBase(crm, spec, ctx)
  let selected: Set<number> | null = null
  if (!selectsEveryone(crm.db, rest, ctx)) {
    const ids = await customerIdsMatching(crm.db, rest, ctx).execute()
    selected = new Set(ids.map((r) => r.id))
  }
  const wantedIndex = wanted === undefined ? -1 : RFM_SEGMENTS.indexOf(wanted)
  const picked: number[] = []
  for (let i = 0; i < s.ids.length; i++) {
    if (wantedIndex >= 0 && s.segment[i] !== wantedIndex) continue
    if (selected && !selected.has(s.ids[i]!)) continue
    picked.push(i)
  }
  return { s, picked }
}

/** Per customer: recency, frequency, monetary, their quintile scores and segment; best segments first, then by spend. */
export async function rfmCustomers(crm: ReportDb, spec: FilterSpec, ctx: FilterContext): Promise<RfmCustomerRow[]> {
  const { s, picked } = await selectedScores(crm, spec, ctx)
  // Names of the picked customers only, by id a thousand at a time (not a pass over every customer).
  const names = new Map<number, [string | null, string | null, string | null]>()
  for (let i = 0; i < picked.length; i += 1000) {
    const ids = picked.slice(i, i + 1000).map((j) => s.ids[j]!)
    const r = await sql<{ id: number; first_name: string | null; last_name: string | null; email: string | null }>`
      select id, first_name, last_name, email from customers where id in (${sql.join(ids)})`.execute(crm.db)
    for (const c of r.rows) names.set(c.id, [c.first_name, c.last_name, c.email])
  }
  const rows: RfmCustomerRow[] = picked.map((i) => {
    const id = s.ids[i]!
    const [first_name, last_name, email] = names.get(id) ?? [null, null, null]
    return {
      id, first_name, last_name, email, last_purchase_at: s.lastAt[i]!, recency_days: s.recency[i]!, orders: s.orders[i]!, spent_cents: s.spent[i]!,
      r: s.r[i]!, f: s.f[i]!, m: s.m[i]!, rfm: `${s.r[i]}${s.f[i]}${s.m[i]}`, segment: RFM_SEGMENTS[s.segment[i]!]!,
    }
  })
  const order = new Map(RFM_SEGMENTS.map((name, i) => [name, i]))
  return rows.sort((a, b) => order.get(a.segment)! - order.get(b.segment)! || b.spent_cents - a.spent_cents || a.id - b.id)
}

export interface SegmentTotals {
  segment: string
  customers: number
  recency_days: number
  orders: number
  spent_cents: number
}

/** The size of every segment (all eleven, empty ones too), with the averages that describe it. */
export async function rfmSegmentSizes(crm: ReportDb, spec: FilterSpec, ctx: FilterContext): Promise<RfmSegmentRow[]> {
  const { s, picked } = await selectedScores(crm, spec, ctx)
  const totals = RFM_SEGMENTS.map((segment) => ({ segment, customers: 0, recency_days: 0, orders: 0, spent_cents: 0 }))
  for (const i of picked) {
    const t = totals[s.segment[i]!]!
    t.customers++
    t.recency_days += s.recency[i]!
    t.orders += s.orders[i]!
    t.spent_cents += s.spent[i]!
  }
  return segmentSizes(totals)
}

/** Segment rows from per-segment sums, in the segment table's order, shares of the total. */
export function segmentSizes(totals: readonly SegmentTotals[]): RfmSegmentRow[] {
  const bySegment = new Map(totals.map((t) => [t.segment, t]))
  const total = totals.reduce((sum, t) => sum + Number(t.customers), 0)
  return RFM_SEGMENTS.map((segment) => {
    const t = bySegment.get(segment)
    const n = t ? Number(t.customers) : 0
    const avg = (sum: number | undefined, digits: number) => (n === 0 ? null : Number((Number(sum) / n).toFixed(digits)))
    return {
      segment,
      customers: n,
      share: total === 0 ? 0 : Number(((100 * n) / total).toFixed(1)),
      avg_recency_days: avg(t?.recency_days, 1),
      avg_orders: avg(t?.orders, 1),
      avg_spent_cents: avg(t?.spent_cents, 0),
    }
  })
}

/**
 * The filter context with `--rfm-segment` scored here (the report's scoring, in typed
 * arrays) rather than by the filter's SQL: on SQLite three rank() windows over a million
 * customers cost more than the scoring itself (`crm query --rfm-segment` at 1M customers:
 * docs/benchmarks.md). The same customers (a test holds the two together). Unchanged
 * without --rfm-segment, and on PostgreSQL, whose SQL scoring is left to the server.
 */
export async function withRfmSegment(crm: ReportDb, spec: FilterSpec, ctx: FilterContext): Promise<FilterContext> {
  if (spec.rfmSegment === undefined || !crm.sqlite) return ctx
  const s = await scoreBase(crm, spec, ctx)
  const wanted = RFM_SEGMENTS.indexOf(spec.rfmSegment)
  const ids: number[] = []
  for (let i = 0; i < s.ids.length; i++) if (s.segment[i] === wanted) ids.push(s.ids[i]!)
  const set = idSetOf(crm, 'rfm_segment_ids', ids)
  return set === null ? ctx : { ...ctx, rfmSegmentIds: set }
}
