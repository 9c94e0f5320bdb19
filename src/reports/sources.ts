import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { customerIdsMatching } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { inPurchaseWindow, type FilterContext } from './reportScope.js'

export interface SourceRow {
  /** How they heard of us (one of the spellings grouped, the first in sort order); "(unknown)" when not recorded. */
  source: string
  customers: number
  /** Customers who ordered in the window. */
  buyers: number
  /** Net revenue in the base currency in the window. */
  revenue_cents: number
  /** Revenue per customer from this source (buyers or not): what one more such customer is worth. */
  avg_spend_cents: number
  /** Net Promoter Score of their answers (−100…100), null without answers. */
  nps: number | null
  nps_answers: number
}

export interface SourceTotals {
  key: string
  source: string | null
  customers: number
  buyers: number
  revenue: number
  promoters: number
  detractors: number
  answers: number
}

/** NPS from counts: % promoters (9–10) minus % detractors (0–6), rounded; null without answers. */
export function npsOf(promoters: number, detractors: number, answers: number): number | null {
  return answers === 0 ? null : Math.round((100 * (promoters - detractors)) / answers)
}

/** Rows from per-source totals, biggest source first (then by name, so ties are stable). */
export function sourceRows(totals: readonly SourceTotals[]): SourceRow[] {
  return totals
    .map((t) => ({
      source: t.key === '' ? '(unknown)' : (t.source ?? t.key),
      customers: t.customers,
      buyers: t.buyers,
      revenue_cents: t.revenue,
      avg_spend_cents: t.customers === 0 ? 0 : Math.round(t.revenue / t.customers),
      nps: npsOf(t.promoters, t.detractors, t.answers),
      nps_answers: t.answers,
    }))
    .sort((a, b) => b.customers - a.customers || b.revenue_cents - a.revenue_cents || a.source.localeCompare(b.source))
}

/**
 * Customers, revenue, average spend and NPS by how they heard of us. Sources are grouped
 * by their folded spelling (Google = google = GOOGLE); revenue counts the purchase window.
 */
export async function sourcesReport(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext): Promise<SourceRow[]> {
  const r = await sql<SourceTotals>`
    select coalesce(c.source_key, '') as key, min(c.source) as source, count(*) as customers,
      coalesce(sum(case when s.orders > 0 then 1 else 0 end), 0) as buyers, coalesce(sum(s.spent), 0) as revenue,
      coalesce(sum(n.promoters), 0) as promoters, coalesce(sum(n.detractors), 0) as detractors, coalesce(sum(n.answers), 0) as answers
    from customers c
    left join (
      select purchases.customer_id, sum(case when purchases.currency = ${ctx.config.currency} then purchases.amount_cents else 0 end) as spent,
        sum(case when purchases.amount_cents >= 0 then 1 else 0 end) as orders
      from purchases where ${inPurchaseWindow(spec, ctx)} group by purchases.customer_id
    ) s on s.customer_id = c.id
    left join (
      select customer_id, sum(case when score >= 9 then 1 else 0 end) as promoters, sum(case when score <= 6 then 1 else 0 end) as detractors, count(*) as answers
      from nps_answers where customer_id is not null group by customer_id
    ) n on n.customer_id = c.id
    where c.id in (${customerIdsMatching(db, spec, ctx)})
    group by coalesce(c.source_key, '')`.execute(db)
  return sourceRows(r.rows.map((t) => ({ ...t, customers: Number(t.customers), buyers: Number(t.buyers), revenue: Number(t.revenue),
    promoters: Number(t.promoters), detractors: Number(t.detractors), answers: Number(t.answers) })))
}
