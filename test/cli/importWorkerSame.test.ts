import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CUSTOMER_COLUMNS, PURCHASE_COLUMNS, generateCustomers, generatePurchases } from '../../bench/generateData.js'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

// A file over 2 MB is checked in a worker thread and its rows cross to the main thread
// by structured clone; a smaller one, or CRM_IMPORT_WORKER=0, is checked inline.
// Whichever way the rows travel, the database must end up the same, byte for byte.
let home: ReturnType<typeof tempHome>
let customers: string
let purchases: string
const CUSTOMERS = 14_000

const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

beforeAll(() => {
  home = tempHome()
  // The generator's messy rows (several scripts, multi-line notes, consent words, tags), an
  // unmapped column that lands in `extra`, and hand-made awkward rows at the end.
  const header = [...CUSTOMER_COLUMNS, 'Lieblingsfarbe']
  const lines = [header.join(',')]
  let i = 0
  for (const c of generateCustomers(7, CUSTOMERS)) {
    lines.push([...CUSTOMER_COLUMNS.map((k) => cell(c.csv[k])), cell(i++ % 5 === 0 ? 'grün 🌿' : '')].join(','))
  }
  const row = (o: Partial<Record<(typeof CUSTOMER_COLUMNS)[number], string>>, extra = '') =>
    [...CUSTOMER_COLUMNS.map((k) => cell(o[k] ?? '')), cell(extra)].join(',')
  lines.push(row({ external_id: 'H1', first_name: 'سارا', last_name: 'محمدی', city: 'تهران', country: 'IR', notes: 'خط اول\nline two "quoted"' }, 'آبی'))
  lines.push(row({ external_id: 'H2', first_name: '  ', last_name: 'N/A', email: ' Mixed.Case@Example.COM ', tags: 'a, b,,c' }))
  lines.push(row({ external_id: 'H3', first_name: '李', last_name: '小龙', phone: '+86 10 6552 9988', notes: '\u200b zero width and a tab\there' }))
  customers = join(home.dir, 'customers.csv')
  writeFileSync(customers, lines.join('\r\n') + '\r\n')

  const plines = [PURCHASE_COLUMNS.join(',')]
  for (const p of generatePurchases(7, CUSTOMERS, 30_000, { end: '2026-11-01T00:00:00.000Z', currency: 'EUR' })) {
    plines.push(PURCHASE_COLUMNS.map((k) => cell(p.csv[k])).join(','))
  }
  purchases = join(home.dir, 'purchases.csv')
  writeFileSync(purchases, plines.join('\n') + '\n')
})
afterAll(() => home.cleanup())

const env = { CRM_NOW: '2026-12-01T10:00:00.000Z' }

async function importBoth(db: string, workerEnv: Record<string, string>): Promise<void> {
  for (const file of [customers, purchases]) {
    const r = await runCrm(['--db', db, 'import', file, '--skip-invalid'], home.dir, { env: { ...env, ...workerEnv } })
    expect(r.exitCode, r.stderr).toBe(0)
  }
}

describe('rows checked in the worker thread', () => {
  test('store exactly what the same rows checked inline store', async () => {
    // Both files are over the 2 MB at which the worker thread takes over.
    for (const f of [customers, purchases]) expect(statSync(f).size).toBeGreaterThan(2 * 1024 * 1024)
    const viaWorker = join(home.dir, 'worker.db')
    const inline = join(home.dir, 'inline.db')
    await importBoth(viaWorker, {})
    await importBoth(inline, { CRM_IMPORT_WORKER: '0' })
    const n = queryDb<{ n: number }>(viaWorker, 'select count(*) as n from customers')[0]!.n
    expect(n).toBeGreaterThan(CUSTOMERS - 100)
    for (const sql of [
      'select * from customers order by id',
      // Tag links and tags take their times from the column default, not CRM_NOW.
      'select customer_id, tag_id from customer_tags order by customer_id, tag_id',
      'select id, name from tags order by id',
      'select * from purchases order by id',
      'select * from customer_totals order by customer_id, currency',
    ]) {
      expect(queryDb(viaWorker, sql), sql).toEqual(queryDb(inline, sql))
    }
    // The awkward rows came through as written.
    expect(queryDb(viaWorker, `select first_name, city, notes, extra from customers where external_id = 'H1'`)).toEqual([
      { first_name: 'سارا', city: 'تهران', notes: 'خط اول\nline two "quoted"', extra: expect.stringContaining('آبی') },
    ])
    expect(queryDb<{ n: number }>(viaWorker, `select count(*) as n from customers where extra like '%🌿%'`)[0]!.n).toBeGreaterThan(1000)
  })
})
