import { sql, type RawBuilder } from 'kysely'
import { wholeDaysSince } from '../db/dialect.js'
import { RFM_SEGMENT_TABLE, type RfmSegment } from './rfmSegments.js'

/** What RFM scoring needs: the purchase window, the clock and the base currency. */
export interface RfmInput {
  /** Half-open ISO-8601 bounds (null = open), as purchaseWindow() gives them. */
  window: { from: string | null; to: string | null }
  now: Date
  currency: string
  sqlite: boolean
}

/** One customer's RFM scores as the scoring query returns them. */
export interface RfmScoreRow {
  customer_id: number
  r: number
  f: number
  m: number
  segment: RfmSegment
}

/**
 * The RFM scoring as one SQL select (customer_id, r, f, m, segment) over every customer not
 * erased who ordered in the window.
 * The scores rank the whole customer base, so `crm report rfm --city X` shows the city's
 * customers as the business sees them and agrees with `crm query --rfm-segment`.
 *
 * - Recency: whole days (24 h) from the last order line to now; frequency: orders (refund
 *   lines are not orders); monetary: net spend in the base currency, refunds subtracted.
 * - Quintiles with ties together: score = 1 + floor(5 × (rank − 1) / n), where rank() gives
 *   tied values the same (lowest) rank, i.e. rank − 1 values are strictly worse. The same
 *   rule as quintileScores(), so equal customers always share a score, whatever the row order.
 * Only the id and the three measures go through the three sorts (carrying the last
 * purchase's text too cost 1.2 s of 9 at 1M customers).
 */
export function rfmScoresSql(input: RfmInput): RawBuilder<RfmScoreRow> {
  const score = (order: RawBuilder<unknown>) => sql`1 + 5 * (rank() over (order by ${order}) - 1) / n`
  return sql<RfmScoreRow>`select customer_id, r, f, m, ${segmentCase()} as segment
from (
  select customer_id,
    ${score(sql`recency_days desc`)} as r, ${score(sql`orders`)} as f, ${score(sql`spent_cents`)} as m
  from (select t.customer_id, t.recency_days, t.orders, t.spent_cents, count(*) over () as n from (${rfmTotalsSql(input)}) t) scored_input
) scored`
}

/** One customer's totals, before scoring. */
export interface RfmTotalsRow {
  customer_id: number
  last_purchase_at: string
  recency_days: number
  orders: number
  spent_cents: number
}

/**
 * Recency, frequency and monetary for every customer not erased who ordered in the window:
 * one pass over purchases_customer in customer order (no sort, no table lookups).
 */
export function rfmTotalsSql(input: RfmInput): RawBuilder<RfmTotalsRow> {
  const { window: w, now, currency, sqlite } = input
  const parts: RawBuilder<unknown>[] = []
  if (w.from !== null) parts.push(sql`purchases.purchased_at >= ${w.from}`)
  if (w.to !== null) parts.push(sql`purchases.purchased_at < ${w.to}`)
  const inWindow = parts.length ? sql.join(parts, sql` and `) : sql`1 = 1`
  const nowIso = now.toISOString()
  const days = wholeDaysSince(sqlite ? 'sqlite' : 'postgres', nowIso, sql`a.last_purchase_at`)
  const hint = sqlite ? sql.raw(' indexed by purchases_customer') : sql``
  return sql<RfmTotalsRow>`select a.customer_id, a.last_purchase_at, ${days} as recency_days, a.orders, a.spent_cents
    from (
      select purchases.customer_id,
        max(case when purchases.amount_cents >= 0 then purchases.purchased_at end) as last_purchase_at,
        count(distinct case when purchases.amount_cents >= 0 then coalesce(purchases.order_id, '#' || purchases.id) end) as orders,
        coalesce(sum(case when purchases.currency = ${currency} then purchases.amount_cents end), 0) as spent_cents
      from purchases${hint} where ${inWindow}
        and purchases.customer_id not in (select rfm_c.id from customers rfm_c where rfm_c.forgotten_at is not null)
      group by purchases.customer_id
    ) a
    where a.orders > 0`
}

/** The segment table as a SQL CASE over the columns r, f and m. */
export function segmentCase(): RawBuilder<string> {
  const whens = RFM_SEGMENT_TABLE.map(
    ([name, [rLo, rHi], [fmLo, fmHi]]) =>
      sql`when r between ${sql.lit(rLo)} and ${sql.lit(rHi)} and (f + m + 1) / 2 between ${sql.lit(fmLo)} and ${sql.lit(fmHi)} then ${sql.lit(name)}`,
  )
  return sql<string>`case ${sql.join(whens, sql` `)} end`
}

/** `customers.id in (…)` for one segment: the condition `--rfm-segment NAME` adds to the filter. */
export function rfmSegmentCondition(input: RfmInput, segment: RfmSegment): RawBuilder<boolean> {
  return sql<boolean>`customers.id in (select rfm.customer_id from (${rfmScoresSql(input)}) rfm where rfm.segment = ${segment})`
}
