import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openSqliteDb, type SqliteCrmDb as CrmDb } from '../../src/db/openDb.js'
import { queryCustomers } from '../../src/query/queryCustomers.js'
import { addCustomers, addPurchases } from '../helpers/customerData.js'

const ctx = { now: new Date('2026-11-23T12:00:00Z'), config: { currency: 'USD', timezone: 'UTC' } }
let dir: string
let crm: CrmDb
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-rows-'))
  crm = await openSqliteDb(join(dir, 'crm.db'))
  await addCustomers(crm.db, [{ first_name: 'Lines' }, { first_name: 'Nothing' }])
  await addPurchases(crm.db, [
    // Two lines of one order, a line without an order id, a refund, and EUR.
    { customer_id: 1, purchased_at: '2026-11-01T10:00:00.000Z', amount_cents: 1000, order_id: 'X', line: 1 },
    { customer_id: 1, purchased_at: '2026-11-01T10:00:00.000Z', amount_cents: 500, order_id: 'X', line: 2 },
    { customer_id: 1, purchased_at: '2026-11-03T10:00:00.000Z', amount_cents: 700 },
    { customer_id: 1, purchased_at: '2026-11-05T10:00:00.000Z', amount_cents: -500, order_id: 'X', line: 3 },
    { customer_id: 1, purchased_at: '2026-11-04T10:00:00.000Z', amount_cents: 9900, currency: 'EUR', order_id: 'Y' },
    { customer_id: 1, purchased_at: '2025-01-01T10:00:00.000Z', amount_cents: 100, order_id: 'OLD' },
  ])
})
afterAll(async () => {
  await crm.close()
  rmSync(dir, { recursive: true, force: true })
})

test('window totals: refunds subtract, other currencies are not summed, order lines count once', async () => {
  const rows = await queryCustomers(crm.db, { days: 30 }, ctx).execute()
  expect(rows.map((r) => [r.first_name, r.spent_cents, r.orders, r.last_purchase_at])).toEqual([
    // 1000 + 500 + 700 − 500; orders X, the line without id, Y; the refund is not the last purchase.
    ['Lines', 1700, 3, '2026-11-04T10:00:00.000Z'],
    ['Nothing', 0, 0, null],
  ])
  const all = await queryCustomers(crm.db, {}, ctx).execute()
  expect(all[0]).toMatchObject({ spent_cents: 1800, orders: 4 })
})

test('per-row totals read only the covering index purchases_customer', () => {
  const q = queryCustomers(crm.db, { days: 30 }, ctx).compile()
  const plan = (crm.sqlite.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>)
    .map((p) => p.detail)
    .filter((d) => d.includes('purchases'))
  expect(plan.length).toBe(3)
  for (const d of plan) expect(d).toMatch(/COVERING INDEX purchases_customer/)
})

test('computed columns neither shown nor sorted on are not computed', () => {
  const sqlOf = (fields: string[], sort: Array<{ field: 'spent_cents' | 'orders'; descending: boolean }> = []) =>
    queryCustomers(crm.db, { days: 30 }, ctx, { fields, sort }).compile().sql
  expect(sqlOf(['first_name'])).not.toContain('purchases')
  expect(sqlOf(['first_name'], [{ field: 'spent_cents', descending: true }])).toContain('sum(purchases.amount_cents)')
  expect(sqlOf(['orders'])).not.toContain('sum(purchases.amount_cents)')
})
