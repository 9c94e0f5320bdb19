import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { customerIdsMatching, purchaseWindow, usesSqlite } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import type { FilterContext } from './reportScope.js'
import { rfmScoresSql, type RfmScoreRow } from './rfmScores.js'
import { RFM_SEGMENTS, type RfmSegment } from './rfmSegments.js'

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

/**
 * The scored customers the filter selects (each scored against the whole base for the
 * purchase window), as SQL. `--rfm-segment` is applied to the scores directly rather than
 * through the filter, so the scoring runs once.
 */
function scoredSelected(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext) {
  const { rfmSegment, ...rest } = spec
  const scores = rfmScoresSql({ window: purchaseWindow(spec, ctx), now: ctx.now, currency: ctx.config.currency, sqlite: usesSqlite(db) })
  return sql`select s.* from (${scores}) s where s.customer_id in (${customerIdsMatching(db, rest, ctx)})
    ${rfmSegment !== undefined ? sql`and s.segment = ${rfmSegment}` : sql``}`
}

/** Per customer: recency, frequency, monetary, their quintile scores and segment; best segments first, then by spend. */
export async function rfmCustomers(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext): Promise<RfmCustomerRow[]> {
  const r = await sql<RfmScoreRow & { first_name: string | null; last_name: string | null; email: string | null }>`
    select s.*, c.first_name, c.last_name, c.email from (${scoredSelected(db, spec, ctx)}) s join customers c on c.id = s.customer_id`.execute(db)
  const rows = r.rows.map((s) => ({
    id: s.customer_id, first_name: s.first_name, last_name: s.last_name, email: s.email, last_purchase_at: s.last_purchase_at,
    recency_days: Number(s.recency_days), orders: Number(s.orders), spent_cents: Number(s.spent_cents),
    r: Number(s.r), f: Number(s.f), m: Number(s.m), rfm: `${s.r}${s.f}${s.m}`, segment: s.segment,
  }))
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
export async function rfmSegmentSizes(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext): Promise<RfmSegmentRow[]> {
  const r = await sql<SegmentTotals>`select segment, count(*) as customers, sum(recency_days) as recency_days,
      sum(orders) as orders, sum(spent_cents) as spent_cents
    from (${scoredSelected(db, spec, ctx)}) t group by segment`.execute(db)
  return segmentSizes(r.rows)
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
