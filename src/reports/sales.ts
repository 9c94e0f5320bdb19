import { sql, type RawBuilder } from 'kysely'
import { indexHint } from '../db/dialect.js'
import { forEachRow, idSet, type ReportDb } from '../db/reportRows.js'
import { CrmError } from '../errors.js'
import { customerIdsMatching, purchaseWindow } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { periodsBetween, type Period, type PeriodKind } from './periods.js'
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
 *
 * One pass over the lines in (purchased_at, customer_id) order, read from a covering index
 * (purchases_window, or purchases_category with a category) and counted by salesCounter():
 * no GROUP BY, no DISTINCT, no sort. Before it, a lighter pass over the lines before the
 * window marks the customers who had ordered already (they are not new).
 */
export async function salesReport(crm: ReportDb, spec: FilterSpec, ctx: FilterContext, options: SalesOptions): Promise<SalesRow[]> {
  const { db } = crm
  const category = spec.category !== undefined ? inCategory(spec.category) : sql<boolean>`1 = 1`
  const from = spec.category !== undefined ? sql`purchases${indexHint(db, 'purchases_category')}` : sql`purchases${indexHint(db, 'purchases_window')}`
  const selected = await selectedLines(crm, spec, ctx)
  const where = sql`${inPurchaseWindow(spec, ctx)} and ${category} and ${selected}`
  // min and max apart: each is answered from one end of the index.
  const first = await sql<{ at: string | null }>`select min(purchases.purchased_at) as at from ${from} where ${where}`.execute(db)
  const last = await sql<{ at: string | null }>`select max(purchases.purchased_at) as at from ${from} where ${where}`.execute(db)
  const firstAt = first.rows[0]?.at
  const lastAt = last.rows[0]?.at
  if (!firstAt || !lastAt) return []
  const periods = periodsBetween(new Date(firstAt), new Date(lastAt), options.by, ctx.config.timezone)
  const counter = salesCounter(periods)

  // First orders ever count, not only in the window: who ordered before it is not new.
  const windowFrom = purchaseWindow(spec, ctx).from
  if (windowFrom !== null) {
    await forEachRow(crm, {
      columns: [sql`purchases.customer_id`],
      from,
      where: sql`purchases.purchased_at < ${windowFrom} and purchases.amount_cents >= 0 and ${category} and ${selected}`,
    }, counter.orderedBefore)
  }
  await forEachRow(crm, {
    columns: [
      sql`purchases.purchased_at`,
      sql`purchases.customer_id`,
      sql`case when purchases.currency = ${ctx.config.currency} then purchases.amount_cents else 0 end`,
      sql`case when purchases.amount_cents >= 0 then 1 else 0 end`,
    ],
    from,
    where,
    orderBy: sql`purchases.purchased_at, purchases.customer_id`,
  }, counter.line)
  return counter.rows()
}

/**
 * Who counts, settled once for the statements above: everyone but the erased (usually
 * none) as a literal list; a narrower filter computed once (idSet).
 */
async function selectedLines(crm: ReportDb, spec: FilterSpec, ctx: FilterContext): Promise<RawBuilder<boolean>> {
  const { db } = crm
  if (!selectsEveryone(db, spec, ctx)) return sql<boolean>`purchases.customer_id in ${await idSet(crm, 'report_customers', customerIdsMatching(db, spec, ctx))}`
  const erased = (await sql<{ id: number }>`select id from customers where forgotten_at is not null`.execute(db)).rows.map((r) => r.id)
  if (erased.length === 0) return sql<boolean>`1 = 1`
  if (erased.length <= 1000) return sql<boolean>`purchases.customer_id not in (${sql.join(erased)})`
  return sql<boolean>`purchases.customer_id not in (select customers.id from customers where customers.forgotten_at is not null)`
}

/**
 * Counts purchase lines arriving in (purchased_at, customer_id) order into periods:
 * - an order is one customer's lines at one instant, counted when one of them is not a
 *   refund (those lines are adjacent in this order);
 * - a customer counts once per period in which they ordered;
 * - new: the customer's first order line ever (not a refund) falls in the period;
 * - revenue: the base-currency amounts, refunds subtracted.
 * Lines out of that order make it throw: it would count wrong, never silently.
 */
export function salesCounter(periods: readonly Period[]) {
  const n = periods.length
  const orders = new Float64Array(n)
  const revenue = new Float64Array(n)
  const customers = new Float64Array(n)
  const fresh = new Float64Array(n)
  // Per customer id: the last period they were counted in (-1: none), and whether they ordered before.
  let lastPeriod = new Int32Array(1024).fill(-1)
  let seen = new Uint8Array(1024)
  const room = (id: number) => {
    if (id < lastPeriod.length) return
    let size = lastPeriod.length
    while (size <= id) size *= 2
    const lp = new Int32Array(size).fill(-1)
    lp.set(lastPeriod)
    lastPeriod = lp
    const s = new Uint8Array(size)
    s.set(seen)
    seen = s
  }
  let k = 0
  let prevAt = ''
  let prevCustomer = -1
  let counted = false
  return {
    /** A customer who ordered before the window. */
    orderedBefore: (customerId: number) => {
      room(customerId)
      seen[customerId] = 1
    },
    line: (at: string, customerId: number, baseAmount: number, ordered: number) => {
      if (at !== prevAt || customerId !== prevCustomer) {
        if (at < prevAt || (at === prevAt && customerId < prevCustomer)) throw new CrmError('sales report: purchase lines arrived out of order (please report this)')
        while (k < n - 1 && at >= periods[k]!.to) k++
        if (at < periods[k]!.from || at >= periods[k]!.to) throw new CrmError(`sales report: a purchase at ${at} is outside the periods (please report this)`)
        prevAt = at
        prevCustomer = customerId
        counted = false
        room(customerId)
      }
      revenue[k]! += baseAmount
      if (ordered) {
        if (!counted) {
          counted = true
          orders[k]!++
        }
        if (lastPeriod[customerId] !== k) {
          lastPeriod[customerId] = k
          customers[k]!++
        }
        if (!seen[customerId]) {
          seen[customerId] = 1
          fresh[k]!++
        }
      }
    },
    rows: (): SalesRow[] =>
      periods.map((p, i) => {
        // A first order in the period makes the customer one of its buyers: new ≤ customers.
        const newCustomers = Math.min(fresh[i]!, customers[i]!)
        return {
          period: p.label, start: p.start, orders: orders[i]!, revenue_cents: revenue[i]!, customers: customers[i]!,
          new_customers: newCustomers, returning_customers: customers[i]! - newCustomers,
        }
      }),
  }
}
