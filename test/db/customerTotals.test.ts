import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { openSqliteDb, type SqliteCrmDb } from '../../src/db/openDb.js'
import { queryCustomers } from '../../src/query/queryCustomers.js'

// Migration 0010: customer_totals holds each customer's all-time totals, kept by triggers
// on purchases. Whatever is written, it must equal the totals computed from purchases.

let dir: string
let crm: SqliteCrmDb
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-totals-'))
  crm = await openSqliteDb(join(dir, 'crm.db'))
  crm.sqlite.exec(`insert into customers (first_name) values ('Ann'), ('Ben'), ('Cleo'), ('Dev')`)
})
afterEach(async () => {
  await crm.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The totals as migration 0010 defines them, computed from purchases. */
const FROM_PURCHASES = `
  select customer_id, '' as currency, 0 as spent_cents, count(distinct coalesce(order_id, '#' || id)) as orders,
    max(purchased_at) as last_purchase_at from purchases where amount_cents >= 0 group by customer_id
  union all
  select customer_id, currency, sum(amount_cents), 0, null from purchases where currency <> '' group by customer_id, currency
  order by 1, 2`

const stored = (db: BetterSqlite3.Database) => db.prepare('select * from customer_totals order by customer_id, currency').all()
const expectTotalsRight = (db: BetterSqlite3.Database) => expect(stored(db)).toEqual(db.prepare(FROM_PURCHASES).all())

/** A small deterministic generator (mulberry32), so a failing sequence can be replayed. */
function random(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

describe('customer_totals (migration 0010)', () => {
  test('an order of several lines counts once, refunds are not orders but lower the spend, each currency apart', () => {
    crm.sqlite.exec(`insert into purchases (customer_id, purchased_at, amount_cents, currency, order_id, line) values
      (1, '2026-01-05T10:00:00.000Z', 1000, 'USD', 'A-1', 1),
      (1, '2026-01-05T10:00:00.000Z', 500, 'USD', 'A-1', 2),
      (1, '2026-02-01T09:00:00.000Z', -300, 'USD', 'A-1', 3),
      (1, '2026-03-01T09:00:00.000Z', -200, 'USD', null, null),
      (1, '2026-01-20T09:00:00.000Z', 700, 'EUR', null, null),
      (2, '2026-04-01T09:00:00.000Z', -50, 'USD', 'R-9', 1)`)
    expect(stored(crm.sqlite)).toEqual([
      { customer_id: 1, currency: '', spent_cents: 0, orders: 2, last_purchase_at: '2026-01-20T09:00:00.000Z' },
      { customer_id: 1, currency: 'EUR', spent_cents: 700, orders: 0, last_purchase_at: null },
      { customer_id: 1, currency: 'USD', spent_cents: 1000, orders: 0, last_purchase_at: null },
      // A customer with only a refund has a spend row and no orders row.
      { customer_id: 2, currency: 'USD', spent_cents: -50, orders: 0, last_purchase_at: null },
    ])
    expectTotalsRight(crm.sqlite)
  })

  test('stays equal to the totals from purchases through 600 random inserts, changes, moves and deletes', () => {
    const next = random(18)
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]!
    const insert = crm.sqlite.prepare(`insert into purchases (customer_id, purchased_at, amount_cents, currency, order_id, line) values (?, ?, ?, ?, ?, ?)`)
    const ids = () => crm.sqlite.prepare('select id from purchases').pluck().all() as number[]
    const when = () => `2026-0${1 + Math.floor(next() * 9)}-1${Math.floor(next() * 10)}T10:00:00.000Z`
    for (let step = 0; step < 600; step++) {
      const r = next()
      const lines = ids()
      if (r < 0.55 || lines.length === 0) {
        insert.run(pick([1, 2, 3, 4]), when(), Math.round((next() - 0.2) * 5000), pick(['USD', 'USD', 'EUR']), pick([null, 'A-1', 'A-2', 'B-7']), pick([null, 1, 2]))
      } else if (r < 0.7) {
        crm.sqlite.prepare('update purchases set customer_id = ? where id = ?').run(pick([1, 2, 3, 4]), pick(lines))
      } else if (r < 0.8) {
        crm.sqlite.prepare('update purchases set amount_cents = ?, currency = ? where id = ?').run(Math.round((next() - 0.5) * 4000), pick(['USD', 'EUR']), pick(lines))
      } else if (r < 0.87) {
        crm.sqlite.prepare('update purchases set order_id = ?, purchased_at = ? where id = ?').run(pick([null, 'A-1', 'C-3']), when(), pick(lines))
      } else if (r < 0.97) {
        crm.sqlite.prepare('delete from purchases where id = ?').run(pick(lines))
      } else {
        // A customer deleted outright: their lines go by the foreign key's cascade.
        const who = pick([1, 2, 3, 4])
        crm.sqlite.prepare('delete from customers where id = ?').run(who)
        crm.sqlite.prepare('insert into customers (id, first_name) values (?, ?)').run(who, `Again ${step}`)
      }
      if (step % 25 === 0) expectTotalsRight(crm.sqlite)
    }
    expectTotalsRight(crm.sqlite)
    expect(stored(crm.sqlite).length).toBeGreaterThan(4)
  })

  test('is filled for the purchases already there when an older database is migrated', async () => {
    crm.sqlite.exec(`insert into purchases (customer_id, purchased_at, amount_cents, currency, order_id) values
      (1, '2025-01-01T00:00:00.000Z', 1200, 'USD', 'X'), (1, '2025-02-01T00:00:00.000Z', 800, 'USD', 'X'),
      (3, '2025-03-01T00:00:00.000Z', 999, 'GBP', null), (3, '2025-03-02T00:00:00.000Z', -99, 'GBP', null)`)
    crm.sqlite.exec(`drop trigger purchases_totals_insert; drop trigger purchases_totals_delete; drop trigger purchases_totals_update;
      drop table customer_totals; delete from kysely_migration where name = '0010_customer_totals'`)
    crm.sqlite.exec(`insert into purchases (customer_id, purchased_at, amount_cents, currency) values (4, '2025-04-01T00:00:00.000Z', 10, 'USD')`)
    await crm.close()
    crm = await openSqliteDb(join(dir, 'crm.db'))
    expect(stored(crm.sqlite)).toHaveLength(6)
    expectTotalsRight(crm.sqlite)
    // And the triggers are back: the next line is counted.
    crm.sqlite.exec(`insert into purchases (customer_id, purchased_at, amount_cents, currency) values (2, '2025-05-01T00:00:00.000Z', 5, 'USD')`)
    expectTotalsRight(crm.sqlite)
  })

  test('a query without a purchase window reads the totals by their key, and gives what the window path gives', async () => {
    crm.sqlite.exec(`insert into purchases (customer_id, purchased_at, amount_cents, currency, order_id) values
      (1, '2025-01-01T00:00:00.000Z', 1200, 'USD', 'X'), (1, '2025-02-01T00:00:00.000Z', 800, 'USD', 'X'),
      (1, '2025-02-03T00:00:00.000Z', 300, 'EUR', null), (2, '2025-03-02T00:00:00.000Z', -99, 'USD', null)`)
    const ctx = { now: new Date('2026-11-20T00:00:00.000Z'), config: { currency: 'USD', timezone: 'UTC' } }
    const allTime = queryCustomers(crm.db, {}, ctx)
    const plan = crm.sqlite.prepare(`explain query plan ${allTime.compile().sql}`).all(...(allTime.compile().parameters as unknown[])) as Array<{ detail: string }>
    expect(plan.map((p) => p.detail).filter((d) => d.includes('customer_totals'))).toEqual(
      Array(3).fill('SEARCH customer_totals USING PRIMARY KEY (customer_id=? AND currency=?)'),
    )
    expect(plan.some((p) => p.detail.includes('purchases'))).toBe(false)
    const windowed = await queryCustomers(crm.db, { since: '1900-01-01' }, ctx).execute()
    const rows = await allTime.execute()
    const totals = (r: { id: number; spent_cents?: number; orders?: number; last_purchase_at?: string | null }) => [r.id, r.spent_cents, r.orders, r.last_purchase_at]
    expect(rows.map(totals)).toEqual(windowed.map(totals))
    expect(rows.map(totals)).toEqual([
      [1, 2000, 2, '2025-02-03T00:00:00.000Z'],
      [2, -99, 0, null],
      [3, 0, 0, null],
      [4, 0, 0, null],
    ])
  })
})
