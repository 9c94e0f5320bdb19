import { sql } from 'kysely'
import type { SqliteCrmDb } from '../db/openDb.js'
import { customerIdsMatching, purchaseWindow, usesSqlite } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { periodIndex, periodsBetween, type Period, type PeriodKind } from './periods.js'
import { inCategory, inPurchaseWindow, selectsEveryone, type FilterContext } from './reportScope.js'

export interface SalesRow {
  period: string
  /** Local date the period starts. */
  start: string
  /** Orders: one customer's order lines at one instant (refund lines are not orders). */
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
export async function salesReport(crm: Pick<SqliteCrmDb, 'db' | 'sqlite'>, spec: FilterSpec, ctx: FilterContext, options: SalesOptions): Promise<SalesRow[]> {
  const { db } = crm
  const sqlite = usesSqlite(db)
  const inWindow = inPurchaseWindow(spec, ctx)
  const category = spec.category !== undefined ? inCategory(spec.category) : sql<boolean>`1 = 1`
  // Many statements below: settle who counts once. Everyone but the erased (usually none)
  // as a literal list; a narrower filter as a temporary table of ids.
  let selected = sql<boolean>`1 = 1`
  const erased = selectsEveryone(db, spec, ctx)
    ? (await sql<{ id: number }>`select id from customers where forgotten_at is not null`.execute(db)).rows.map((r) => r.id)
    : null
  if (erased !== null && erased.length > 0 && erased.length <= 1000) {
    selected = sql<boolean>`purchases.customer_id not in (${sql.join(erased)})`
  } else if (erased === null || erased.length > 1000) {
    await sql`drop table if exists temp.report_customers`.execute(db)
    await sql`create temp table report_customers (id integer primary key)`.execute(db)
    await sql`insert into temp.report_customers (id) select id from ${customerIdsMatching(db, spec, ctx)} selected`.execute(db)
    selected = sql<boolean>`purchases.customer_id in (select id from temp.report_customers)`
  }
  const where = sql`${inWindow} and ${category} and ${selected}`
  // min and max apart: SQLite answers each from one end of the purchases_window index.
  const first = await sql<{ at: string | null }>`select min(purchased_at) as at from purchases where ${where}`.execute(db)
  const last = await sql<{ at: string | null }>`select max(purchased_at) as at from purchases where ${where}`.execute(db)
  const from = first.rows[0]?.at
  const to = last.rows[0]?.at
  if (!from || !to) return []
  const periods = periodsBetween(new Date(from), new Date(to), options.by, ctx.config.timezone)

  // Per period, one range over purchases_window, grouped by (time, customer) in index order
  // without a sort: an order is one customer's lines at one instant (an order's lines share
  // its time), and refund lines subtract revenue without being orders.
  const hint = sqlite ? sql` indexed by purchases_window` : sql``
  const rows: SalesRow[] = []
  for (const p of periods) {
    const t = await sql<{ orders: number; revenue: number; customers: number }>`
      select count(case when ordered then 1 end) as orders, coalesce(sum(revenue), 0) as revenue,
        count(distinct case when ordered then customer_id end) as customers
      from (
        select purchases.customer_id, max(purchases.amount_cents >= 0) as ordered,
          sum(case when purchases.currency = ${ctx.config.currency} then purchases.amount_cents else 0 end) as revenue
        from purchases${hint}
        where purchases.purchased_at >= ${p.from} and purchases.purchased_at < ${p.to} and ${where}
        group by purchases.purchased_at, purchases.customer_id
      ) checkouts`.execute(db)
    const r = t.rows[0]!
    rows.push({ period: p.label, start: p.start, orders: Number(r.orders), revenue_cents: Number(r.revenue), customers: Number(r.customers), new_customers: 0, returning_customers: 0 })
  }

  // First order ever per customer (not only in the window), counted in its period when
  // that falls inside the window.
  const w = purchaseWindow(spec, ctx)
  const lo = w.from !== null && w.from > periods[0]!.from ? w.from : periods[0]!.from
  const end = periods[periods.length - 1]!.to
  const hi = w.to !== null && w.to < end ? w.to : end
  // With --category the category is on the table only: read it in one sequential pass
  // (and sort the matching lines) rather than look it up for every line in customer order.
  const firstsHint = !sqlite ? sql`` : spec.category !== undefined ? sql` not indexed` : sql` indexed by purchases_customer`
  const firsts = sql`select min(purchases.purchased_at) as first_at from purchases${firstsHint}
    where purchases.amount_cents >= 0 and ${category} and ${selected}
    group by purchases.customer_id
    having first_at >= ${lo} and first_at < ${hi}`.compile(db)
  const newCustomers = countNew(periods, crm.sqlite.prepare(firsts.sql).pluck().iterate(...firsts.parameters) as Iterable<string>)
  rows.forEach((row, i) => {
    // A first order in the period makes the customer one of its buyers: new ≤ customers.
    row.new_customers = Math.min(newCustomers[i]!, row.customers)
    row.returning_customers = row.customers - row.new_customers
  })
  return rows
}

/** How many first-order instants fall in each period. */
export function countNew(periods: readonly Period[], firstOrders: Iterable<string>): number[] {
  const counts = periods.map(() => 0)
  for (const at of firstOrders) {
    const i = periodIndex(periods, at)
    if (i >= 0) counts[i]!++
  }
  return counts
}
