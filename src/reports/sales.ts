import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { purchaseWindow } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { periodIndex, periodsBetween, type Period, type PeriodKind } from './periods.js'
import { inCategory, inPurchaseWindow, purchasesOfSelected, type FilterContext } from './reportScope.js'

export interface SalesRow {
  period: string
  /** Local date the period starts. */
  start: string
  /** Orders (an order id, or a line without one; refund lines are not orders). */
  orders: number
  /** Net revenue in the base currency, refunds subtracted. */
  revenue_cents: number
  /** Customers who ordered in the period. */
  customers: number
  /** Of those, whose first order ever (in the category, with --category) was in this period. */
  new_customers: number
  returning_customers: number
}

export interface SalesOptions {
  by: PeriodKind
}

/**
 * Orders, revenue and new versus returning customers per period, in the shop's time zone,
 * for the customers the filter selects and the purchases in its window (all time without
 * one); `--category` also narrows the lines to that category. Empty periods between the
 * first and last sale are listed with zeros.
 */
export async function salesReport(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext, options: SalesOptions): Promise<SalesRow[]> {
  const selected = purchasesOfSelected(db, spec, ctx)
  const inWindow = inPurchaseWindow(spec, ctx)
  const category = spec.category !== undefined ? inCategory(spec.category) : sql<boolean>`1 = 1`
  // min and max apart: SQLite answers each from the end of the purchases_window index.
  const first = await sql<{ at: string | null }>`select min(purchased_at) as at from purchases where ${inWindow} and ${category} and ${selected}`.execute(db)
  const last = await sql<{ at: string | null }>`select max(purchased_at) as at from purchases where ${inWindow} and ${category} and ${selected}`.execute(db)
  const from = first.rows[0]?.at
  const to = last.rows[0]?.at
  if (!from || !to) return []
  const periods = periodsBetween(new Date(from), new Date(to), options.by, ctx.config.timezone)

  // One pass: the periods drive, each a range over purchases_window (CROSS JOIN keeps that order).
  const bounds = JSON.stringify(periods.map((p) => [p.from, p.to]))
  const totals = await sql<{ idx: number; orders: number; revenue: number; customers: number }>`
    select b.key as idx,
      count(distinct case when purchases.amount_cents >= 0 then coalesce(purchases.order_id, '#' || purchases.id) end) as orders,
      coalesce(sum(case when purchases.currency = ${ctx.config.currency} then purchases.amount_cents end), 0) as revenue,
      count(distinct case when purchases.amount_cents >= 0 then purchases.customer_id end) as customers
    from json_each(${bounds}) b cross join purchases
    where purchases.purchased_at >= b.value ->> 0 and purchases.purchased_at < b.value ->> 1
      and ${inWindow} and ${category} and ${selected}
    group by b.key`.execute(db)

  // First order ever per customer (not only in the window), counted in its period when
  // that falls inside the window.
  const w = purchaseWindow(spec, ctx)
  const lo = w.from !== null && w.from > periods[0]!.from ? w.from : periods[0]!.from
  const end = periods[periods.length - 1]!.to
  const hi = w.to !== null && w.to < end ? w.to : end
  const firsts = await sql<{ first_at: string }>`
    select min(purchases.purchased_at) as first_at from purchases
    where purchases.amount_cents >= 0 and ${category} and ${selected}
    group by purchases.customer_id
    having first_at >= ${lo} and first_at < ${hi}`.execute(db)
  const newCustomers = countNew(periods, firsts.rows.map((r) => r.first_at))

  const rows: SalesRow[] = periods.map((p) => ({
    period: p.label, start: p.start, orders: 0, revenue_cents: 0, customers: 0, new_customers: 0, returning_customers: 0,
  }))
  for (const t of totals.rows) {
    const row = rows[Number(t.idx)]!
    row.orders = Number(t.orders)
    row.revenue_cents = Number(t.revenue)
    row.customers = Number(t.customers)
  }
  rows.forEach((row, i) => {
    // A first order in the period makes the customer one of its buyers: new ≤ customers.
    row.new_customers = Math.min(newCustomers[i]!, row.customers)
    row.returning_customers = row.customers - row.new_customers
  })
  return rows
}

/** How many first-order instants fall in each period. */
export function countNew(periods: readonly Period[], firstOrders: readonly string[]): number[] {
  const counts = periods.map(() => 0)
  for (const at of firstOrders) {
    const i = periodIndex(periods, at)
    if (i >= 0) counts[i]!++
  }
  return counts
}
