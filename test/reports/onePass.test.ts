import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openSqliteDb, type SqliteCrmDb } from '../../src/db/openDb.js'
import { customerIdsMatching, purchaseWindow, type FilterContext } from '../../src/query/customerFilter.js'
import type { FilterSpec } from '../../src/query/filterSpec.js'
import { basketReport } from '../../src/reports/basket.js'
import { BasketCounter, basketRules } from '../../src/reports/basketRules.js'
import { periodIndex, periodsBetween, type PeriodKind } from '../../src/reports/periods.js'
import { salesCounter, salesReport, type SalesRow } from '../../src/reports/sales.js'
import { addCustomers, addPurchases } from '../helpers/customerData.js'

// The one-pass readers (sales, basket) against the straightforward SQL they replaced
// (GROUP BY per period and per order), on random data full of the awkward cases: refunds,
// other currencies, several lines and several customers at one instant, an order whose
// lines are not adjacent, lines without an order id, an erased customer, mixed-case
// categories, a time zone with DST.

let dir: string
let crm: SqliteCrmDb
const ctx: FilterContext = { now: new Date('2026-12-31T12:00:00Z'), config: { currency: 'EUR', timezone: 'Europe/Berlin' } }

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-onepass-'))
  crm = await openSqliteDb(join(dir, 'crm.db'))
  let seed = 11
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return Math.floor(seed / 65536) % n // the low bits of this generator cycle quickly
  }
  const ids = await addCustomers(crm.db, Array.from({ length: 60 }, (_, i) => ({ first_name: `P${i}`, city: i % 3 === 0 ? 'Berlin' : 'Bonn', ...(i === 7 ? { forgotten_at: '2026-06-01T00:00:00Z' } : {}) })))
  const products = ['Beans', 'Chai', 'Cup', 'Mug', 'Scone']
  const categories = ['Coffee', 'coffee', 'Tea', 'Ware', null]
  const purchases = []
  // A few shared instants, so several customers (and several orders) meet at one time.
  const instants = Array.from({ length: 40 }, () => new Date(Date.parse('2025-10-01T00:00:00Z') + rand(460) * 86_400_000 + rand(86_400) * 1000).toISOString())
  for (let o = 0; o < 400; o++) {
    const customer = ids[rand(ids.length)]!
    const at = instants[rand(instants.length)]!
    const order = rand(10) === 0 ? null : `O${customer}-${rand(8)}`
    for (let line = 1; line <= 1 + rand(3); line++) {
      const refund = rand(8) === 0
      purchases.push({
        customer_id: customer, purchased_at: at, order_id: order, line,
        product: rand(15) === 0 ? null : products[rand(products.length)]!, category: categories[rand(categories.length)]!,
        amount_cents: (refund ? -1 : 1) * (100 + rand(900)), currency: rand(6) === 0 ? 'USD' : 'EUR',
      })
    }
  }
  await addPurchases(crm.db, purchases)
})
afterAll(async () => {
  await crm.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The per-period GROUP BY queries the sales report used before its one pass. */
async function salesByGroupBy(spec: FilterSpec, by: PeriodKind): Promise<SalesRow[]> {
  const { db } = crm
  const w = purchaseWindow(spec, ctx)
  const inWindow = sql`${w.from === null ? sql`1 = 1` : sql`purchased_at >= ${w.from}`} and ${w.to === null ? sql`1 = 1` : sql`purchased_at < ${w.to}`}`
  const category = spec.category === undefined ? sql`1 = 1` : sql`lower(category) = ${spec.category.toLowerCase()}`
  const selected = sql`customer_id in (${customerIdsMatching(db, spec, ctx)})`
  const where = sql`${inWindow} and ${category} and ${selected}`
  const range = (await sql<{ lo: string | null; hi: string | null }>`select min(purchased_at) as lo, max(purchased_at) as hi from purchases where ${where}`.execute(db)).rows[0]!
  if (!range.lo || !range.hi) return []
  const periods = periodsBetween(new Date(range.lo), new Date(range.hi), by, ctx.config.timezone)
  const rows: SalesRow[] = []
  for (const p of periods) {
    const r = (await sql<{ orders: number; revenue: number; customers: number }>`
      select count(case when ordered then 1 end) as orders, coalesce(sum(revenue), 0) as revenue,
        count(distinct case when ordered then customer_id end) as customers
      from (select customer_id, max(amount_cents >= 0) as ordered, sum(case when currency = ${ctx.config.currency} then amount_cents else 0 end) as revenue
        from purchases where purchased_at >= ${p.from} and purchased_at < ${p.to} and ${where} group by purchased_at, customer_id)`.execute(db)).rows[0]!
    rows.push({ period: p.label, start: p.start, orders: r.orders, revenue_cents: r.revenue, customers: r.customers, new_customers: 0, returning_customers: 0 })
  }
  const firsts = await sql<{ first_at: string }>`select min(purchased_at) as first_at from purchases
    where amount_cents >= 0 and ${category} and ${selected} group by customer_id`.execute(db)
  const lo = w.from !== null && w.from > periods[0]!.from ? w.from : periods[0]!.from
  const hi = w.to !== null && w.to < periods.at(-1)!.to ? w.to : periods.at(-1)!.to
  const fresh = periods.map(() => 0)
  for (const { first_at } of firsts.rows) if (first_at >= lo && first_at < hi) fresh[periodIndex(periods, first_at)]!++
  return rows.map((r, i) => {
    const n = Math.min(fresh[i]!, r.customers)
    return { ...r, new_customers: n, returning_customers: r.customers - n }
  })
}

describe('sales in one pass = sales by GROUP BY per period', () => {
  const cases: Array<[string, FilterSpec, PeriodKind]> = [
    ['all time by month', {}, 'month'],
    ['all time by day', {}, 'day'],
    ['a window by week', { since: '2026-01-15', until: '2026-09-30' }, 'week'],
    ['--days by quarter', { days: 200 }, 'quarter'],
    ['a category by year', { category: 'COFFEE' }, 'year'],
    ['a category in a window, narrowed to a city', { category: 'tea', city: 'Berlin', since: '2026-02-01' }, 'month'],
  ]
  test.each(cases)('%s', async (_name, spec, by) => {
    const expected = await salesByGroupBy(spec, by)
    expect(expected.length).toBeGreaterThan(0)
    expect(await salesReport(crm, spec, ctx, { by })).toEqual(expected)
  })
})

test('the sales counter refuses lines out of (purchased_at, customer_id) order instead of counting wrong', () => {
  const periods = periodsBetween(new Date('2026-01-01T00:00:00Z'), new Date('2026-01-31T00:00:00Z'), 'month', 'UTC')
  const counter = salesCounter(periods)
  counter.line('2026-01-05T00:00:00.000Z', 2, 100, 1)
  expect(() => counter.line('2026-01-05T00:00:00.000Z', 1, 100, 1)).toThrow(/out of order/)
  expect(() => counter.line('2026-01-04T00:00:00.000Z', 3, 100, 1)).toThrow(/out of order/)
})

test('basket per order in one pass over purchases_customer = GROUP BY order id', async () => {
  // The old query: one basket per order id (through purchases_order_line), one per line without.
  const counter = new BasketCounter()
  const grouped = await sql<{ products: string }>`select group_concat(product, char(30)) as products from purchases
    where amount_cents >= 0 and product is not null and order_id is not null
      and customer_id not in (select id from customers where forgotten_at is not null) group by order_id`.execute(crm.db)
  for (const r of grouped.rows) counter.addBasket(r.products.split('\u001e'))
  const single = await sql<{ product: string }>`select product from purchases where amount_cents >= 0 and product is not null and order_id is null
      and customer_id not in (select id from customers where forgotten_at is not null)`.execute(crm.db)
  for (const r of single.rows) counter.addBasket([r.product])
  const counts = counter.finish()
  const report = await basketReport(crm, {}, ctx, { per: 'order', minSupport: 0, top: 100 })
  expect(report.baskets).toBe(counts.baskets)
  expect(report.rows).toEqual(basketRules(counts, { minSupport: 0, top: 100 }))
  expect(report.rows.length).toBeGreaterThan(5)
})
