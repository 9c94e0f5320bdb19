import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openSqliteDb } from '../../src/db/openDb.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-0007-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const INDEX_SQL = 'CREATE INDEX purchases_category on purchases (lower(category), purchased_at, customer_id, amount_cents, currency)'

test('migration 0007: purchases_category holds a category\'s lines in time order with what a sale needs', async () => {
  const crm = await openSqliteDb(join(dir, 'fresh.db'))
  try {
    const index = crm.sqlite.prepare(`select sql from sqlite_master where type = 'index' and name = 'purchases_category'`).pluck().get()
    expect(index).toBe(INDEX_SQL)
    // What `crm report sales --category` reads: one range of the index, no table, no sort.
    const plan = crm.sqlite
      .prepare(`explain query plan select purchases.purchased_at, purchases.customer_id, purchases.amount_cents, purchases.currency
        from purchases indexed by purchases_category where lower(purchases.category) = 'coffee' and purchases.purchased_at >= '2026-01-01'`)
      .all() as Array<{ detail: string }>
    expect(plan.map((p) => p.detail)).toEqual(['SEARCH purchases USING COVERING INDEX purchases_category (<expr>=? AND purchased_at>?)'])
    // The filter's --category without a window finds it on its own.
    const filter = crm.sqlite
      .prepare(`explain query plan select purchases.customer_id from purchases where lower(purchases.category) = 'coffee' and purchases.amount_cents >= 0`)
      .all() as Array<{ detail: string }>
    expect(filter.map((p) => p.detail)).toEqual(['SEARCH purchases USING COVERING INDEX purchases_category (<expr>=?)'])
  } finally {
    await crm.close()
  }
})

test('migration 0007 is applied to a database made before it, keeping its rows', async () => {
  const path = join(dir, 'older.db')
  const first = await openSqliteDb(path)
  first.sqlite.exec(`insert into customers (first_name) values ('Ann');
    insert into purchases (customer_id, purchased_at, category, amount_cents, currency) values (1, '2026-01-01T10:00:00.000Z', 'Coffee', 500, 'USD');
    drop index purchases_category; delete from kysely_migration where name = '0007_purchases_category'`)
  await first.close()
  const again = await openSqliteDb(path)
  try {
    expect(again.sqlite.prepare(`select sql from sqlite_master where name = 'purchases_category'`).pluck().get()).toBe(INDEX_SQL)
    expect(again.sqlite.prepare(`select count(*) from purchases indexed by purchases_category where lower(category) = 'coffee'`).pluck().get()).toBe(1)
  } finally {
    await again.close()
  }
})
