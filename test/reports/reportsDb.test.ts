import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openSqliteDb, type SqliteCrmDb as CrmDb } from '../../src/db/openDb.js'
import { customerIdsMatching, type FilterContext } from '../../src/query/customerFilter.js'
import { basketReport } from '../../src/reports/basket.js'
import { birthdaysReport } from '../../src/reports/birthdays.js'
import { lapsedReport } from '../../src/reports/lapsed.js'
import { rfmCustomers, rfmSegmentSizes, withRfmSegment } from '../../src/reports/rfm.js'
import { segmentCase } from '../../src/reports/rfmScores.js'
import { RFM_SEGMENTS, rfmSegment } from '../../src/reports/rfmSegments.js'
import { salesReport } from '../../src/reports/sales.js'
import { sourcesReport } from '../../src/reports/sources.js'
import { addCustomers, addPurchases } from '../helpers/customerData.js'

const DAY = 86_400_000
let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-reports-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function freshDb(name: string): Promise<CrmDb> {
  return openSqliteDb(join(dir, `${name}.db`))
}

describe('sales in Berlin across a DST change and a year end', () => {
  let crm: CrmDb
  const berlin: FilterContext = { now: new Date('2027-01-10T12:00:00Z'), config: { currency: 'EUR', timezone: 'Europe/Berlin' } }
  beforeAll(async () => {
    crm = await freshDb('sales')
    const [anna, bob, cleo] = await addCustomers(crm.db, [{ first_name: 'Anna' }, { first_name: 'Bob' }, { first_name: 'Cleo', forgotten_at: '2027-01-01T00:00:00Z' }])
    await addPurchases(crm.db, [
      // 23:30 on 28 March in Berlin (winter time, UTC+1)
      { customer_id: anna!, purchased_at: '2026-03-28T22:30:00.000Z', amount_cents: 1000, currency: 'EUR', order_id: 'A1', line: 1, category: 'Coffee', product: 'Beans' },
      { customer_id: anna!, purchased_at: '2026-03-28T22:30:00.000Z', amount_cents: 500, currency: 'EUR', order_id: 'A1', line: 2, category: 'Tea', product: 'Chai' },
      // 00:30 on 30 March in Berlin (summer time, UTC+2), still the 29th in UTC
      { customer_id: anna!, purchased_at: '2026-03-29T22:30:00.000Z', amount_cents: 2000, currency: 'EUR', order_id: 'A2', line: 1, category: 'Coffee', product: 'Beans' },
      { customer_id: bob!, purchased_at: '2026-03-29T21:30:00.000Z', amount_cents: 700, currency: 'EUR', order_id: 'B1', line: 1, category: 'Tea', product: 'Chai' },
      // a refund: subtracts revenue, is not an order
      { customer_id: bob!, purchased_at: '2026-03-29T21:45:00.000Z', amount_cents: -200, currency: 'EUR', order_id: 'B1', line: 2, category: 'Tea', product: 'Chai' },
      // another currency: an order, but not in EUR revenue
      { customer_id: bob!, purchased_at: '2026-03-29T21:50:00.000Z', amount_cents: 9999, currency: 'USD', order_id: 'B2', line: 1, category: 'Tea', product: 'Chai' },
      // 23:30 on 31 December in Berlin, and 00:30 on 1 January
      { customer_id: anna!, purchased_at: '2026-12-31T22:30:00.000Z', amount_cents: 3000, currency: 'EUR', order_id: 'A3', line: 1, category: 'Coffee', product: 'Beans' },
      { customer_id: bob!, purchased_at: '2026-12-31T23:30:00.000Z', amount_cents: 4000, currency: 'EUR', order_id: null, line: null, category: 'Coffee', product: 'Beans' },
      // an erased customer's purchase is never counted
      { customer_id: cleo!, purchased_at: '2026-12-31T23:30:00.000Z', amount_cents: 99900, currency: 'EUR', order_id: 'C1', line: 1, category: 'Coffee', product: 'Beans' },
    ])
  })
  afterAll(() => crm.close())

  test('by day over the DST change: local days, new then returning customers', async () => {
    const rows = await salesReport(crm, { until: '2026-03-31' }, berlin, { by: 'day' })
    expect(rows).toEqual([
      { period: '2026-03-28', start: '2026-03-28', orders: 1, revenue_cents: 1500, customers: 1, new_customers: 1, returning_customers: 0 },
      { period: '2026-03-29', start: '2026-03-29', orders: 2, revenue_cents: 500, customers: 1, new_customers: 1, returning_customers: 0 },
      { period: '2026-03-30', start: '2026-03-30', orders: 1, revenue_cents: 2000, customers: 1, new_customers: 0, returning_customers: 1 },
    ])
  })

  test('by month and year across New Year: 00:30 on 1 January local is January', async () => {
    const months = await salesReport(crm, { since: '2026-12-01' }, berlin, { by: 'month' })
    expect(months.map((r) => [r.period, r.orders, r.revenue_cents, r.customers, r.new_customers])).toEqual([
      ['2026-12', 1, 3000, 1, 0],
      ['2027-01', 1, 4000, 1, 0],
    ])
    const years = await salesReport(crm, {}, berlin, { by: 'year' })
    expect(years.map((r) => [r.period, r.orders, r.revenue_cents, r.customers, r.new_customers, r.returning_customers])).toEqual([
      ['2026', 5, 7000, 2, 2, 0],
      ['2027', 1, 4000, 1, 0, 1],
    ])
  })

  test('by week (ISO) and quarter, empty periods filled', async () => {
    const weeks = await salesReport(crm, { since: '2026-12-20' }, berlin, { by: 'week' })
    expect(weeks.map((r) => [r.period, r.start, r.orders])).toEqual([['2026-W53', '2026-12-28', 2]])
    const quarters = await salesReport(crm, {}, berlin, { by: 'quarter' })
    expect(quarters.map((r) => [r.period, r.orders])).toEqual([['2026-Q1', 4], ['2026-Q2', 0], ['2026-Q3', 0], ['2026-Q4', 1], ['2027-Q1', 1]])
  })

  test('--category narrows the lines, and "new" means first in that category', async () => {
    const rows = await salesReport(crm, { category: 'tea' }, berlin, { by: 'year' })
    expect(rows).toEqual([{ period: '2026', start: '2026-01-01', orders: 3, revenue_cents: 1000, customers: 2, new_customers: 2, returning_customers: 0 }])
  })

  test('nothing sold: no rows', async () => {
    expect(await salesReport(crm, { since: '2030-01-01' }, berlin, { by: 'day' })).toEqual([])
  })
})

describe('RFM scoring in SQL', () => {
  let crm: CrmDb
  const now = new Date('2026-11-20T12:00:00Z')
  const ctx: FilterContext = { now, config: { currency: 'USD', timezone: 'UTC' } }
  const ids: number[] = []
  beforeAll(async () => {
    crm = await freshDb('rfm')
    // Worked by hand (n = 10; score = 1 + floor(5 × values strictly worse / 10)):
    //   spend 100 200 200 300 400 500 500 500 900 1000 → M 1 1 1 2 3 3 3 3 5 5
    //   days  300 200 200 100  50  40  30  30  10    1 → R 1 1 1 2 3 3 4 4 5 5
    //   orders  1   1   1   1   1   1   1   1   2    2 → F 1 1 1 1 1 1 1 1 5 5
    //   FM = round((F + M) / 2): 1 1 1 2 2 2 2 2 5 5
    //   segments: lost ×3, hibernating, about to sleep ×2, potential loyalists ×2, champions ×2
    const spend = [100, 200, 200, 300, 400, 500, 500, 500, 900, 1000]
    const days = [300, 200, 200, 100, 50, 40, 30, 30, 10, 1]
    ids.push(...(await addCustomers(crm.db, spend.map((_, i) => ({ first_name: `C${i + 1}` })))))
    const at = (d: number) => new Date(now.getTime() - d * DAY - 3_600_000).toISOString()
    await addPurchases(crm.db, ids.flatMap((id, i) =>
      i < 8
        ? [{ customer_id: id, purchased_at: at(days[i]!), amount_cents: spend[i]!, order_id: `O${i}`, line: 1 }]
        : [
            { customer_id: id, purchased_at: at(days[i]! + 20), amount_cents: spend[i]! - 400, order_id: `O${i}a`, line: 1 },
            { customer_id: id, purchased_at: at(days[i]!), amount_cents: 400, order_id: `O${i}b`, line: 1 },
          ],
    ))
  })
  afterAll(() => crm.close())

  test('quintile scores with ties and segments, as worked by hand', async () => {
    const rows = await rfmCustomers(crm, {}, ctx)
    const byName = Object.fromEntries(rows.map((r) => [r.first_name, [r.recency_days, r.orders, r.spent_cents, r.rfm, r.segment]]))
    expect(byName).toEqual({
      C1: [300, 1, 100, '111', 'lost'],
      C2: [200, 1, 200, '111', 'lost'],
      C3: [200, 1, 200, '111', 'lost'],
      C4: [100, 1, 300, '212', 'hibernating'],
      C5: [50, 1, 400, '313', 'about to sleep'],
      C6: [40, 1, 500, '313', 'about to sleep'],
      C7: [30, 1, 500, '413', 'potential loyalists'],
      C8: [30, 1, 500, '413', 'potential loyalists'],
      C9: [10, 2, 900, '555', 'champions'],
      C10: [1, 2, 1000, '555', 'champions'],
    })
    // Best segments first, then by spend.
    expect(rows.map((r) => r.first_name)).toEqual(['C10', 'C9', 'C7', 'C8', 'C6', 'C5', 'C4', 'C2', 'C3', 'C1'])
  })

  test('segment sizes: all eleven, empty ones with zero', async () => {
    const sizes = await rfmSegmentSizes(crm, {}, ctx)
    expect(sizes.map((s) => [s.segment, s.customers])).toEqual([
      ['champions', 2], ['loyal', 0], ['potential loyalists', 2], ['new', 0], ['promising', 0], ['need attention', 0],
      ['about to sleep', 2], ['at risk', 0], ["can't lose", 0], ['hibernating', 1], ['lost', 3],
    ])
    expect(sizes[0]).toEqual({ segment: 'champions', customers: 2, share: 20, avg_recency_days: 5.5, avg_orders: 2, avg_spent_cents: 950 })
    expect(sizes[1]).toMatchObject({ customers: 0, share: 0, avg_orders: null })
  })

  test('the filter narrows who is shown, not how they are scored', async () => {
    const rows = await rfmCustomers(crm, { search: 'C9' }, ctx)
    expect(rows.map((r) => [r.first_name, r.rfm])).toEqual([['C9', '555']])
  })

  test('--rfm-segment in the shared filter selects the same customers as the report', async () => {
    const q = await customerIdsMatching(crm.db, { rfmSegment: 'about to sleep' }, ctx).orderBy('customers.id').execute()
    expect(q.map((r) => r.id)).toEqual([ids[4], ids[5]])
    const lost = await customerIdsMatching(crm.db, { rfmSegment: 'lost', search: 'C1' }, ctx).execute()
    expect(lost.map((r) => r.id)).toEqual([ids[0]])
    const viaReport = await rfmCustomers(crm, { rfmSegment: 'champions' }, ctx)
    expect(viaReport.map((r) => r.id).sort()).toEqual([ids[8], ids[9]].sort())
  })

  test('the SQL segment table agrees with rfmSegment() on all 125 scores', async () => {
    const values: string[] = []
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) values.push(`(${r}, ${f}, ${m})`)
    const out = await sql<{ r: number; f: number; m: number; segment: string }>`select r, f, m, ${segmentCase()} as segment
      from (select column1 as r, column2 as f, column3 as m from (values ${sql.raw(values.join(', '))}))`.execute(crm.db)
    expect(out.rows).toHaveLength(125)
    for (const row of out.rows) expect(row.segment).toBe(rfmSegment(row.r, row.f, row.m))
  })
})

test('the report (scored in JS) and --rfm-segment (scored in SQL) agree on 300 random customers with many ties', async () => {
  const crm = await freshDb('rfm-random')
  try {
    let seed = 7
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed % n
    }
    const ids = await addCustomers(crm.db, Array.from({ length: 300 }, (_, i) => ({ first_name: `R${i}` })))
    const now = new Date('2026-11-20T12:00:00Z')
    await addPurchases(crm.db, ids.flatMap((id) =>
      Array.from({ length: 1 + rand(4) }, (_, k) => ({
        customer_id: id, purchased_at: new Date(now.getTime() - rand(40) * 7 * DAY).toISOString(),
        amount_cents: 500 * (1 + rand(6)), order_id: `${id}-${k}`, line: 1,
      })),
    ))
    const ctx: FilterContext = { now, config: { currency: 'USD', timezone: 'UTC' } }
    const report = await rfmCustomers(crm, {}, ctx)
    expect(report).toHaveLength(300)
    for (const segment of RFM_SEGMENTS) {
      const viaFilter = (await customerIdsMatching(crm.db, { rfmSegment: segment }, ctx).execute()).map((r) => r.id).sort((a, b) => a - b)
      const viaReport = report.filter((r) => r.segment === segment).map((r) => r.id).sort((a, b) => a - b)
      expect(viaFilter, segment).toEqual(viaReport)
      // What crm query does on SQLite: the segment scored up front, the filter using its ids.
      const scored = await withRfmSegment(crm, { rfmSegment: segment }, ctx)
      expect(scored.rfmSegmentIds, segment).toBeDefined()
      const viaScored = (await customerIdsMatching(crm.db, { rfmSegment: segment }, scored).execute()).map((r) => r.id).sort((a, b) => a - b)
      expect(viaScored, segment).toEqual(viaReport)
    }
  } finally {
    await crm.close()
  }
})

describe('sources, basket, birthdays and lapsed', () => {
  let crm: CrmDb
  const ctx: FilterContext = { now: new Date('2026-12-30T10:00:00Z'), config: { currency: 'USD', timezone: 'UTC' } }
  const id: Record<string, number> = {}
  beforeAll(async () => {
    crm = await freshDb('misc')
    const [ann, ben, cat, dan, eve] = await addCustomers(crm.db, [
      { first_name: 'Ann', source: 'Google', birth_date: '1990-01-02', email: 'ann@example.com', phone: '+1 212 555 0101', consent_email: 'granted' },
      { first_name: 'Ben', source: 'google', birth_date: '1980-12-31', email: 'ben@example.com', consent_email: 'refused' },
      { first_name: 'Cat', source: 'Flyer', birth_date: '--01-05', email: 'cat@example.com' },
      { first_name: 'Dan', birth_date: '1970-01-01', consent_email: 'refused', consent_mail: 'refused', consent_sms: 'refused', consent_phone: 'refused' },
      { first_name: 'Eve', source: 'Flyer', birth_date: '1999-06-01' },
    ])
    Object.assign(id, { ann, ben, cat, dan, eve })
    await addPurchases(crm.db, [
      { customer_id: ann!, purchased_at: '2026-01-10T10:00:00.000Z', amount_cents: 1000, order_id: 'A1', line: 1, product: 'Bread' },
      { customer_id: ann!, purchased_at: '2026-01-10T10:00:00.000Z', amount_cents: 300, order_id: 'A1', line: 2, product: 'Butter' },
      { customer_id: ann!, purchased_at: '2026-12-01T10:00:00.000Z', amount_cents: 200, order_id: 'A2', line: 1, product: 'Jam' },
      { customer_id: ben!, purchased_at: '2026-02-01T10:00:00.000Z', amount_cents: 5000, order_id: 'B1', line: 1, product: 'Bread' },
      { customer_id: ben!, purchased_at: '2026-03-01T10:00:00.000Z', amount_cents: 400, order_id: 'B2', line: 1, product: 'Butter' },
      { customer_id: cat!, purchased_at: '2026-03-01T10:00:00.000Z', amount_cents: 700, order_id: 'C1', line: 1, product: 'Jam' },
      { customer_id: cat!, purchased_at: '2026-03-01T10:00:00.000Z', amount_cents: 100, order_id: 'C1', line: 2, product: 'Bread' },
      { customer_id: dan!, purchased_at: '2026-01-05T10:00:00.000Z', amount_cents: 9000, order_id: 'D1', line: 1, product: 'Butter' },
    ])
    await crm.db.insertInto('nps_answers').values([
      { customer_id: ann!, score: 10, answered_at: '2026-05-01T00:00:00.000Z' },
      { customer_id: ben!, score: 3, answered_at: '2026-05-01T00:00:00.000Z' },
      { customer_id: ben!, score: 9, answered_at: '2026-06-01T00:00:00.000Z' },
      { customer_id: eve!, score: 8, answered_at: '2026-06-01T00:00:00.000Z' },
    ]).execute()
  })
  afterAll(() => crm.close())

  test('sources: grouped by folded spelling, revenue in the window, NPS of their answers', async () => {
    expect(await sourcesReport(crm.db, {}, ctx)).toEqual([
      { source: 'Google', customers: 2, buyers: 2, revenue_cents: 6900, avg_spend_cents: 3450, nps: 33, nps_answers: 3 },
      { source: 'Flyer', customers: 2, buyers: 1, revenue_cents: 800, avg_spend_cents: 400, nps: 0, nps_answers: 1 },
      { source: '(unknown)', customers: 1, buyers: 1, revenue_cents: 9000, avg_spend_cents: 9000, nps: null, nps_answers: 0 },
    ])
    const december = await sourcesReport(crm.db, { since: '2026-12-01' }, ctx)
    expect(december.find((r) => r.source === 'Google')).toMatchObject({ customers: 2, buyers: 1, revenue_cents: 200 })
  })

  test('basket per customer and per order, lift as computed by hand', async () => {
    // Per customer: Ann {Bread, Butter, Jam}, Ben {Bread, Butter}, Cat {Jam, Bread}, Dan {Butter}: N = 4
    // n(Bread) = 3, n(Butter) = 3, n(Jam) = 2; Bread+Butter 2 → lift 2 × 4 / (3 × 3) = 0.889;
    // Bread+Jam 2 → lift 2 × 4 / (3 × 2) = 1.333; Butter+Jam 1 → 1 × 4 / (3 × 2) = 0.667
    const perCustomer = await basketReport(crm, {}, ctx, { per: 'customer', minSupport: 0, top: 10 })
    expect(perCustomer.baskets).toBe(4)
    expect(perCustomer.rows.map((r) => [r.product_a, r.product_b, r.together, r.support, r.lift])).toEqual([
      ['Bread', 'Jam', 2, 0.5, 1.333],
      ['Bread', 'Butter', 2, 0.5, 0.889],
      ['Butter', 'Jam', 1, 0.25, 0.667],
    ])
    // Per order: A1 {Bread, Butter}, A2 {Jam}, B1 {Bread}, B2 {Butter}, C1 {Jam, Bread}, D1 {Butter}: N = 6
    const perOrder = await basketReport(crm, {}, ctx, { per: 'order', minSupport: 0, top: 10 })
    expect(perOrder.baskets).toBe(6)
    expect(perOrder.rows.map((r) => [r.product_a, r.product_b, r.together, r.lift])).toEqual([
      ['Bread', 'Jam', 1, 1], // 1 × 6 / (3 × 2)
      ['Bread', 'Butter', 1, 0.667], // 1 × 6 / (3 × 3)
    ])
  })

  test('basket --bought: what buyers of it also bought, over all baskets', async () => {
    const r = await basketReport(crm, { bought: 'jam' }, ctx, { per: 'customer', minSupport: 0, top: 10 })
    expect(r.baskets).toBe(4)
    expect(r.rows.map((x) => [x.product_a, x.product_b, x.confidence])).toEqual([['Jam', 'Bread', 1], ['Jam', 'Butter', 0.5]])
  })

  test('birthdays across New Year, consent honoured', async () => {
    const rows = await birthdaysReport(crm.db, { birthdayWithin: 7 }, ctx)
    expect(rows.map((r) => [r.first_name, r.birthday, r.days, r.turns, r.email])).toEqual([
      ['Ben', '2026-12-31', 1, 46, null],
      ['Ann', '2027-01-02', 3, 37, 'ann@example.com'],
      ['Cat', '2027-01-05', 6, null, 'cat@example.com'],
    ])
  })

  test('lapsed: bought before, nothing for N days, most valuable first', async () => {
    const rows = await lapsedReport(crm, { inactiveDays: 60 }, ctx)
    // Dan refused everything: left out. Ann bought on 1 December: not lapsed.
    expect(rows.map((r) => [r.first_name, r.lifetime_spent_cents, r.orders, r.days_inactive, r.email])).toEqual([
      ['Ben', 5400, 2, 304, null],
      ['Cat', 800, 1, 304, 'cat@example.com'],
    ])
  })

  test('lapsed picks the same customers as the filter --inactive-days (less those who refused everything)', async () => {
    for (const days of [0, 1, 28, 29, 30, 60, 300, 304, 305, 400]) {
      const viaFilter = (await customerIdsMatching(crm.db, { inactiveDays: days }, ctx).execute()).map((r) => r.id).filter((x) => x !== id.dan)
      const viaReport = (await lapsedReport(crm, { inactiveDays: days }, ctx)).map((r) => r.id)
      expect(viaReport.sort(), `--inactive-days ${days}`).toEqual(viaFilter.sort())
    }
  })
})
