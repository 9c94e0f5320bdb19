import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { runCrm, tempHome } from '../helpers/runCrm.js'

// `crm query` without a purchase window reads each customer's spend, orders and last
// purchase from customer_totals (migration 0010); with one, it sums purchases. Through every
// writer of purchases the two must agree: an import (which fills the totals in one pass at
// its end), a re-import that moves a line, `purchase add`, merge, unmerge.

let home: ReturnType<typeof tempHome>
const env = { CRM_NOW: '2026-11-23T12:00:00.000Z' }
const crm = (args: string[]) => runCrm(['--db', home.db, ...args], home.dir, { env })

beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

const FIELDS = ['--fields', 'id,email,spent_cents,orders,last_purchase_at', '--format', 'csv']

/** `crm query`'s totals all-time (customer_totals) and through a window covering all time (purchases). */
async function bothWays(): Promise<string> {
  const allTime = await crm(['query', ...FIELDS])
  expect(allTime.exitCode, allTime.stderr).toBe(0)
  const windowed = await crm(['query', '--since', '1900-01-01', ...FIELDS])
  expect(windowed.exitCode, windowed.stderr).toBe(0)
  expect(allTime.stdout).toBe(windowed.stdout)
  return allTime.stdout
}

function expectTriggerBack(): void {
  const db = new BetterSqlite3(home.db, { readonly: true })
  try {
    const triggers = db.prepare(`select name from sqlite_master where type = 'trigger' and name like 'purchases_totals_%' order by name`).pluck().all()
    expect(triggers).toEqual(['purchases_totals_delete', 'purchases_totals_insert', 'purchases_totals_update'])
  } finally {
    db.close()
  }
}

test('all-time totals match the window path through import, re-import, purchase add, merge and unmerge', async () => {
  const customers = join(home.dir, 'customers.csv')
  writeFileSync(customers, 'email,first_name,last_name\nanna@example.com,Anna,Berg\nbob@example.com,Bob,Stone\ncara@example.com,Cara,Lind\n')
  expect((await crm(['import', customers])).exitCode).toBe(0)
  const purchases = join(home.dir, 'purchases.csv')
  // An order of two lines (one order), a refund of part of it (not an order), a line in
  // another currency (not in the USD spend), an empty-looking order id, Bob's two orders.
  writeFileSync(purchases, [
    'customer_email,purchased_at,amount,currency,product,order_id,line',
    'anna@example.com,2026-03-01,40.00,USD,Kettle,A-1,1',
    'anna@example.com,2026-03-01,10.50,USD,Filter,A-1,2',
    'anna@example.com,2026-03-09,-10.50,USD,Filter,A-1,3',
    'anna@example.com,2026-04-02,99.00,EUR,Grinder,E-7,1',
    'bob@example.com,2026-05-05,20.00,USD,Beans," ",',
    'bob@example.com,2026-06-06,5.00,USD,Mug,B-2,1',
    '',
  ].join('\n'))
  const imported = await crm(['import', purchases, '--type', 'purchases'])
  expect(imported.exitCode, imported.stderr).toBe(0)
  expectTriggerBack()
  expect(await bothWays()).toBe([
    'id,email,spent_cents,orders,last_purchase_at',
    '1,anna@example.com,4000,2,2026-04-02T00:00:00.000Z',
    '2,bob@example.com,2500,2,2026-06-06T00:00:00.000Z',
    '3,cara@example.com,0,0,',
    '',
  ].join('\n'))

  // The same order line again, now Cara's: the import updates it, moving it between customers.
  writeFileSync(purchases, 'customer_email,purchased_at,amount,currency,product,order_id,line\ncara@example.com,2026-06-06,5.00,USD,Mug,B-2,1\n')
  const moved = await crm(['import', purchases, '--type', 'purchases', '--on-conflict', 'update'])
  expect(moved.exitCode, moved.stderr).toBe(0)
  expect(await bothWays()).toContain('\n2,bob@example.com,2000,1,2026-05-05T00:00:00.000Z\n3,cara@example.com,500,1,2026-06-06T00:00:00.000Z\n')

  const added = await crm(['purchase', 'add', 'cara@example.com', '--amount', '7.25', '--product', 'Spoon'])
  expect(added.exitCode, added.stderr).toBe(0)
  expect(await bothWays()).toContain('\n3,cara@example.com,1225,2,2026-11-23T12:00:00.000Z\n')

  const merged = await crm(['merge', '1', '3', '--yes'])
  expect(merged.exitCode, merged.stderr).toBe(0)
  // One customer now, with both customers' lines (the merge may keep either email).
  expect(await bothWays()).toMatch(/\n1,[^,]*,5225,4,2026-11-23T12:00:00\.000Z\n2,bob@example\.com,2000,1,[^\n]*\n$/)
  const unmerged = await crm(['unmerge', merged.stdout.trim()])
  expect(unmerged.exitCode, unmerged.stderr).toBe(0)
  expect(await bothWays()).toContain('\n1,anna@example.com,4000,2,2026-04-02T00:00:00.000Z\n')
  expectTriggerBack()
})

test('an import that fails half-way leaves the totals and the trigger as they were', async () => {
  const customers = join(home.dir, 'customers.csv')
  writeFileSync(customers, 'email,first_name\nanna@example.com,Anna\n')
  expect((await crm(['import', customers])).exitCode).toBe(0)
  const purchases = join(home.dir, 'purchases.csv')
  writeFileSync(purchases, 'customer_email,purchased_at,amount,currency\nanna@example.com,2026-03-01,40.00,USD\n')
  expect((await crm(['import', purchases, '--type', 'purchases'])).exitCode).toBe(0)
  const before = await bothWays()
  // The second line names nobody crm knows: without --skip-invalid the whole import is refused.
  writeFileSync(purchases, 'customer_email,purchased_at,amount,currency\nanna@example.com,2026-04-01,60.00,USD\nnobody@example.com,2026-04-02,1.00,USD\n')
  const failed = await crm(['import', purchases, '--type', 'purchases'])
  expect(failed.exitCode).not.toBe(0)
  expect(await bothWays()).toBe(before)
  expect(before).toContain('\n1,anna@example.com,4000,1,2026-03-01T00:00:00.000Z\n')
  expectTriggerBack()
})
