import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDb } from '../../src/db/openDb.js'
import { addCustomers, addPurchases } from '../helpers/customerData.js'
import { seedReportShop } from '../helpers/reportShop.js'
import { BIN, queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
let db: string
const env = { CRM_NOW: '2026-12-30T10:00:00Z' }
const crm = (...args: string[]) => runCrm([...args, '--db', db], home.dir, { env })

// The small shop of test/helpers/reportShop.ts (five customers, eight purchase lines).
beforeAll(async () => {
  home = tempHome()
  db = join(home.dir, 'shop.db')
  const c = await openDb(db)
  await seedReportShop(c.db)
  await c.close()
})
afterAll(() => home.cleanup())

describe('crm report', () => {
  test('sources as CSV', async () => {
    const r = await crm('report', 'sources', '--format', 'csv')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toBe(
      'source,customers,buyers,revenue_cents,avg_spend_cents,nps,nps_answers\n' +
        'Google,2,2,6900,3450,,0\nFlyer,2,1,800,400,,0\n(unknown),1,1,9000,9000,,0\n',
    )
  })

  test('sales by month as JSON, the window bounding what is counted', async () => {
    const r = await crm('report', 'sales', '--by', 'month', '--since', '2026-02-01', '--until', '2026-03-31', '--format', 'json')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([
      { period: '2026-02', start: '2026-02-01', orders: 1, revenue_cents: 5000, customers: 1, new_customers: 1, returning_customers: 0 },
      { period: '2026-03', start: '2026-03-01', orders: 2, revenue_cents: 1200, customers: 2, new_customers: 1, returning_customers: 1 },
    ])
  })

  test('sales per quarter in the configured time zone; --category narrows the lines', async () => {
    const r = await crm('report', 'sales', '--by', 'quarter', '--category', 'bakery', '--format', 'csv', '--fields', 'period,orders,revenue_cents')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('period,orders,revenue_cents\n2026-Q1,3,6100\n')
  })

  test('sales --by with a bad value is a usage error', async () => {
    const r = await crm('report', 'sales', '--by', 'fortnight')
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain("argument 'fortnight' is invalid")
  })

  test('rfm segment sizes as CSV, all eleven segments', async () => {
    const r = await crm('report', 'rfm', '--format', 'csv', '--fields', 'segment,customers')
    expect(r.exitCode, r.stderr).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toBe('segment,customers')
    expect(lines).toHaveLength(12)
    expect(lines.slice(1).reduce((n, l) => n + Number(l.split(',').at(-1)), 0)).toBe(4)
  })

  test('rfm --customers and crm query --rfm-segment pick the same people', async () => {
    const r = await crm('report', 'rfm', '--customers', '--format', 'ndjson')
    expect(r.exitCode, r.stderr).toBe(0)
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { first_name: string; segment: string; rfm: string })
    expect(rows.map((x) => x.first_name).sort()).toEqual(['Ann', 'Ben', 'Cat', 'Dan'])
    const ann = rows.find((x) => x.first_name === 'Ann')!
    const q = await crm('query', '--rfm-segment', ann.segment, '--format', 'csv', '--fields', 'first_name')
    expect(q.exitCode, q.stderr).toBe(0)
    const expected = rows.filter((x) => x.segment === ann.segment).map((x) => x.first_name).sort()
    expect(q.stdout.trim().split('\n').slice(1).sort()).toEqual(expected)
    const only = await crm('report', 'rfm', '--customers', '--rfm-segment', ann.segment, '--format', 'csv', '--fields', 'first_name')
    expect(only.stdout.trim().split('\n').slice(1).sort()).toEqual(expected)
  })

  test('an unknown RFM segment is a usage error listing the names', async () => {
    const r = await crm('query', '--rfm-segment', 'vip')
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toBe(`crm: --rfm-segment: "vip" is not an RFM segment (use champions, loyal, potential loyalists, new, promising, need attention, about to sleep, at risk, can't lose, hibernating, lost)\n`)
  })

  test('basket: pairs with support, confidence and lift; the basket count on stderr', async () => {
    const r = await crm('report', 'basket', '--format', 'csv')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toBe('4 baskets (customers)\n')
    expect(r.stdout).toBe(
      'product_a,product_b,together,support,confidence,confidence_b_a,lift\n' +
        'Bread,Jam,2,0.5,0.6667,1,1.333\nBread,Butter,2,0.5,0.6667,0.6667,0.889\nButter,Jam,1,0.25,0.3333,0.5,0.667\n',
    )
  })

  test('basket --bought, --per order, --min-support as a percentage', async () => {
    const bought = await crm('report', 'basket', '--bought', 'jam', '--format', 'csv', '--fields', 'product_a,product_b,confidence')
    expect(bought.stdout).toBe('product_a,product_b,confidence\nJam,Bread,1\nJam,Butter,0.5\n')
    const perOrder = await crm('report', 'basket', '--per', 'order', '--min-support', '20%', '--format', 'csv', '--fields', 'product_a,product_b')
    expect(perOrder.stderr).toBe('6 baskets (orders)\n')
    expect(perOrder.stdout).toBe('product_a,product_b\n')
    const bad = await crm('report', 'basket', '--min-support', '150%')
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toBe('crm: --min-support: "150%" is not a share between 0 and 1 (e.g. 0.01 or 1%)\n')
  })

  test('birthdays: the next 14 days by default, over New Year, consent honoured, CSV neutralised', async () => {
    const r = await crm('report', 'birthdays', '--format', 'csv', '--fields', 'first_name,birthday,days,turns,email')
    expect(r.exitCode, r.stderr).toBe(0)
    // Ben refused email: blank. Dan refused everything: left out. Cat's email starts with "=".
    expect(r.stdout).toBe("first_name,birthday,days,turns,email\nBen,2026-12-31,1,46,\nAnn,2027-01-02,3,37,ann@example.com\nCat,2027-01-05,6,,'=cat@example.com\n")
    const two = await crm('report', 'birthdays', '--birthday-within', '2', '--format', 'csv', '--fields', 'first_name')
    expect(two.stdout).toBe('first_name\nBen\n')
  })

  test('lapsed: default 180 days, most valuable first, --limit', async () => {
    const r = await crm('report', 'lapsed', '--format', 'json', '--fields', 'first_name,lifetime_spent_cents,orders,days_inactive')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([
      { first_name: 'Ben', lifetime_spent_cents: 5400, orders: 2, days_inactive: 304 },
      { first_name: 'Cat', lifetime_spent_cents: 800, orders: 1, days_inactive: 304 },
    ])
    const one = await crm('report', 'lapsed', '--inactive-days', '365', '--format', 'csv')
    expect(one.stdout.trim().split('\n')).toHaveLength(1)
    const limited = await crm('report', 'lapsed', '--limit', '1', '--format', 'csv', '--fields', 'first_name')
    expect(limited.stdout).toBe('first_name\nBen\n')
  })

  test('the shared filter narrows every report', async () => {
    const r = await crm('report', 'sources', '--city', 'boston', '--format', 'csv', '--fields', 'source,customers,revenue_cents')
    expect(r.stdout).toBe('source,customers,revenue_cents\nGoogle,1,1500\n')
  })

  test('an unknown field is a usage error; reports write nothing to the database', async () => {
    const before = queryDb(db, 'select count(*) as n from purchases')
    const r = await crm('report', 'lapsed', '--fields', 'first_name,shoe_size')
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('unknown field "shoe_size"')
    expect(queryDb(db, 'select count(*) as n from purchases')).toEqual(before)
  })

  test('report --help lists the subcommands with examples', async () => {
    const r = await runCrm(['report', '--help'], home.dir)
    expect(r.exitCode).toBe(0)
    for (const name of ['sources', 'sales', 'rfm', 'basket', 'birthdays', 'lapsed']) expect(r.stdout).toContain(name)
    expect(r.stdout).toContain('Example:')
  })
})

describe('crm report in the configured time zone, and on a terminal', () => {
  let berlin: ReturnType<typeof tempHome>
  beforeAll(async () => {
    berlin = tempHome()
    const c = await openDb(berlin.db)
    const [ann] = await addCustomers(c.db, [{ first_name: 'Ann' }])
    await addPurchases(c.db, [
      // 23:30 on 31 December in Berlin, then 00:30 on 1 January
      { customer_id: ann!, purchased_at: '2026-12-31T22:30:00.000Z', amount_cents: 3000, order_id: 'A1', line: 1, product: 'Cake' },
      { customer_id: ann!, purchased_at: '2026-12-31T23:30:00.000Z', amount_cents: 4000, order_id: 'A2', line: 1, product: 'Cake' },
    ])
    await c.close()
    const set = await runCrm(['config', 'set', 'timezone', 'Europe/Berlin'], berlin.dir)
    expect(set.exitCode, set.stderr).toBe(0)
  })
  afterAll(() => berlin.cleanup())

  test('sales by year: the second purchase is in 2027 in Berlin', async () => {
    const r = await runCrm(['report', 'sales', '--by', 'year', '--db', berlin.db, '--format', 'csv', '--fields', 'period,revenue_cents,new_customers,returning_customers'], berlin.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('period,revenue_cents,new_customers,returning_customers\n2026,3000,1,0\n2027,4000,0,1\n')
  })

  test('a table on a terminal gets a bar chart; a pipe gets none', () => {
    const command = `${process.execPath} ${BIN} report sales --by year --db ${berlin.db}`
    const tty = spawnSync('script', ['-qec', command, '/dev/null'], {
      encoding: 'utf8', env: { PATH: process.env.PATH, HOME: berlin.dir, XDG_CONFIG_HOME: join(berlin.dir, 'config'), COLUMNS: '60' },
    })
    expect(tty.status, tty.stderr).toBe(0)
    expect(tty.stdout).toMatch(/2027 +█+ +40\.00/)
    expect(tty.stdout).toMatch(/2026 +█+ +30\.00/)
    const piped = spawnSync(process.execPath, [BIN, 'report', 'sales', '--by', 'year', '--db', berlin.db, '--format', 'table'], {
      encoding: 'utf8', env: { PATH: process.env.PATH, HOME: berlin.dir, XDG_CONFIG_HOME: join(berlin.dir, 'config') },
    })
    expect(piped.stdout).toContain('2027')
    expect(piped.stdout).not.toContain('█')
  })
})
