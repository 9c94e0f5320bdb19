import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDb } from '../../src/db/openDb.js'
import { addCustomers, addPurchases } from '../helpers/customerData.js'
import { seedReportShop } from '../helpers/reportShop.js'
import { runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase } from './pgHelpers.js'

// The reports on PostgreSQL, run as a user runs them (bin/crm.js --db postgres://…), with
// the hand-checked numbers of the SQLite tests (test/cli/report.test.ts, test/reports/).
const home = tempHome()
afterAll(() => home.cleanup())

// The same small shop as test/cli/report.test.ts (test/helpers/reportShop.ts), with NPS answers.
describe('crm report on PostgreSQL', () => {
  let url: string
  const crm = (...args: string[]) => runCrm([...args, '--db', url], home.dir, { env: { CRM_NOW: '2026-12-30T10:00:00Z' } })
  beforeAll(async () => {
    url = await freshDatabase()
    const c = await openDb(url)
    try {
      await seedReportShop(c.db, { withNps: true })
    } finally {
      await c.close()
    }
  })

  test('sources: grouped by folded spelling, revenue, NPS of their answers', async () => {
    const r = await crm('report', 'sources', '--format', 'csv')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe(
      'source,customers,buyers,revenue_cents,avg_spend_cents,nps,nps_answers\n' +
        'Google,2,2,6900,3450,33,3\nFlyer,2,1,800,400,0,1\n(unknown),1,1,9000,9000,,0\n',
    )
    const boston = await crm('report', 'sources', '--city', 'boston', '--format', 'csv', '--fields', 'source,customers,revenue_cents')
    expect(boston.stdout).toBe('source,customers,revenue_cents\nGoogle,1,1500\n')
  })

  test('sales by month in a window, and per quarter with --category', async () => {
    const r = await crm('report', 'sales', '--by', 'month', '--since', '2026-02-01', '--until', '2026-03-31', '--format', 'json')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([
      { period: '2026-02', start: '2026-02-01', orders: 1, revenue_cents: 5000, customers: 1, new_customers: 1, returning_customers: 0 },
      { period: '2026-03', start: '2026-03-01', orders: 2, revenue_cents: 1200, customers: 2, new_customers: 1, returning_customers: 1 },
    ])
    const q = await crm('report', 'sales', '--by', 'quarter', '--category', 'bakery', '--format', 'csv', '--fields', 'period,orders,revenue_cents')
    expect(q.exitCode, q.stderr).toBe(0)
    expect(q.stdout).toBe('period,orders,revenue_cents\n2026-Q1,3,6100\n')
  })

  test('rfm: segment sizes add up; --customers, --rfm-segment and crm query --rfm-segment pick the same people', async () => {
    const sizes = await crm('report', 'rfm', '--format', 'csv', '--fields', 'segment,customers')
    expect(sizes.exitCode, sizes.stderr).toBe(0)
    const lines = sizes.stdout.trim().split('\n')
    expect(lines).toHaveLength(12)
    expect(lines.slice(1).reduce((n, l) => n + Number(l.split(',').at(-1)), 0)).toBe(4)
    const r = await crm('report', 'rfm', '--customers', '--format', 'ndjson')
    expect(r.exitCode, r.stderr).toBe(0)
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { first_name: string; segment: string })
    expect(rows.map((x) => x.first_name).sort()).toEqual(['Ann', 'Ben', 'Cat', 'Dan'])
    const ann = rows.find((x) => x.first_name === 'Ann')!
    const expected = rows.filter((x) => x.segment === ann.segment).map((x) => x.first_name).sort()
    const q = await crm('query', '--rfm-segment', ann.segment, '--format', 'csv', '--fields', 'first_name')
    expect(q.exitCode, q.stderr).toBe(0)
    expect(q.stdout.trim().split('\n').slice(1).sort()).toEqual(expected)
    const only = await crm('report', 'rfm', '--customers', '--rfm-segment', ann.segment, '--format', 'csv', '--fields', 'first_name')
    expect(only.stdout.trim().split('\n').slice(1).sort()).toEqual(expected)
  })

  test('basket per customer, per order and --bought: lift as computed by hand', async () => {
    const r = await crm('report', 'basket', '--format', 'csv')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toBe('4 baskets (customers)\n')
    expect(r.stdout).toBe(
      'product_a,product_b,together,support,confidence,confidence_b_a,lift\n' +
        'Bread,Jam,2,0.5,0.6667,1,1.333\nBread,Butter,2,0.5,0.6667,0.6667,0.889\nButter,Jam,1,0.25,0.3333,0.5,0.667\n',
    )
    const perOrder = await crm('report', 'basket', '--per', 'order', '--min-support', '0', '--format', 'csv', '--fields', 'product_a,product_b,together,lift')
    expect(perOrder.stderr).toBe('6 baskets (orders)\n')
    expect(perOrder.stdout).toBe('product_a,product_b,together,lift\nBread,Jam,1,1\nBread,Butter,1,0.667\n')
    const bought = await crm('report', 'basket', '--bought', 'jam', '--format', 'csv', '--fields', 'product_a,product_b,confidence')
    expect(bought.stdout).toBe('product_a,product_b,confidence\nJam,Bread,1\nJam,Butter,0.5\n')
  })

  test('lapsed: default 180 days, most valuable first, consent honoured, --limit', async () => {
    const r = await crm('report', 'lapsed', '--format', 'json', '--fields', 'first_name,email,lifetime_spent_cents,orders,days_inactive')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([
      { first_name: 'Ben', email: null, lifetime_spent_cents: 5400, orders: 2, days_inactive: 304 },
      { first_name: 'Cat', email: '=cat@example.com', lifetime_spent_cents: 800, orders: 1, days_inactive: 304 },
    ])
    const limited = await crm('report', 'lapsed', '--limit', '1', '--format', 'csv', '--fields', 'first_name')
    expect(limited.stdout).toBe('first_name\nBen\n')
  })

  test('birthdays over New Year, consent honoured', async () => {
    const r = await crm('report', 'birthdays', '--format', 'csv', '--fields', 'first_name,birthday,days,turns,email')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe("first_name,birthday,days,turns,email\nBen,2026-12-31,1,46,\nAnn,2027-01-02,3,37,ann@example.com\nCat,2027-01-05,6,,'=cat@example.com\n")
  })
})

describe('RFM quintiles with ties on PostgreSQL, as worked by hand', () => {
  let url: string
  const DAY = 86_400_000
  const now = new Date('2026-11-20T12:00:00Z')
  beforeAll(async () => {
    url = await freshDatabase()
    const c = await openDb(url)
    try {
      // As in test/reports/reportsDb.test.ts: n = 10, score = 1 + floor(5 × values strictly worse / 10).
      const spend = [100, 200, 200, 300, 400, 500, 500, 500, 900, 1000]
      const days = [300, 200, 200, 100, 50, 40, 30, 30, 10, 1]
      const ids = await addCustomers(c.db, spend.map((_, i) => ({ first_name: `C${i + 1}` })))
      const at = (d: number) => new Date(now.getTime() - d * DAY - 3_600_000).toISOString()
      await addPurchases(c.db, ids.flatMap((id, i) =>
        i < 8
          ? [{ customer_id: id, purchased_at: at(days[i]!), amount_cents: spend[i]!, order_id: `O${i}`, line: 1 }]
          : [
              { customer_id: id, purchased_at: at(days[i]! + 20), amount_cents: spend[i]! - 400, order_id: `O${i}a`, line: 1 },
              { customer_id: id, purchased_at: at(days[i]!), amount_cents: 400, order_id: `O${i}b`, line: 1 },
            ],
      ))
    } finally {
      await c.close()
    }
  })

  test('report rfm --customers and crm query --rfm-segment', async () => {
    const env = { env: { CRM_NOW: now.toISOString() } }
    const r = await runCrm(['report', 'rfm', '--customers', '--db', url, '--format', 'csv', '--fields', 'first_name,recency_days,orders,spent_cents,rfm,segment'], home.dir, env)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe(
      'first_name,recency_days,orders,spent_cents,rfm,segment\n' +
        'C10,1,2,1000,555,champions\nC9,10,2,900,555,champions\nC7,30,1,500,413,potential loyalists\nC8,30,1,500,413,potential loyalists\n' +
        'C6,40,1,500,313,about to sleep\nC5,50,1,400,313,about to sleep\nC4,100,1,300,212,hibernating\n' +
        'C2,200,1,200,111,lost\nC3,200,1,200,111,lost\nC1,300,1,100,111,lost\n',
    )
    const q = await runCrm(['query', '--rfm-segment', 'about to sleep', '--db', url, '--format', 'csv', '--fields', 'first_name'], home.dir, env)
    expect(q.exitCode, q.stderr).toBe(0)
    expect(q.stdout).toBe('first_name\nC5\nC6\n')
  })
})

test('sales by year on PostgreSQL in the configured time zone: 00:30 on 1 January in Berlin is 2027', async () => {
  const berlin = tempHome()
  try {
    const url = await freshDatabase()
    const c = await openDb(url)
    try {
      const [ann] = await addCustomers(c.db, [{ first_name: 'Ann' }])
      await addPurchases(c.db, [
        { customer_id: ann!, purchased_at: '2026-12-31T22:30:00.000Z', amount_cents: 3000, order_id: 'A1', line: 1, product: 'Cake' },
        { customer_id: ann!, purchased_at: '2026-12-31T23:30:00.000Z', amount_cents: 4000, order_id: 'A2', line: 1, product: 'Cake' },
      ])
    } finally {
      await c.close()
    }
    expect((await runCrm(['config', 'set', 'timezone', 'Europe/Berlin'], berlin.dir)).exitCode).toBe(0)
    const r = await runCrm(['report', 'sales', '--by', 'year', '--db', url, '--format', 'csv', '--fields', 'period,revenue_cents,new_customers,returning_customers'], berlin.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('period,revenue_cents,new_customers,returning_customers\n2026,3000,1,0\n2027,4000,0,1\n')
  } finally {
    berlin.cleanup()
  }
})
