import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { fixture, queryDb, runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, queryPg } from './pgHelpers.js'

let home: ReturnType<typeof tempHome>
let url: string
beforeEach(async () => {
  home = tempHome()
  url = await freshDatabase()
})
afterEach(() => home.cleanup())

const env = { CRM_NOW: '2026-11-23T12:00:00Z' }
const onPg = (...args: string[]) => runCrm(['--db', url, ...args], home.dir, { env })
const onSqlite = (...args: string[]) => runCrm(['--db', home.db, ...args], home.dir, { env })
type Row = Record<string, unknown>
const pgRows = (sql: string) => queryPg<Row>(url, sql)
const sqliteRows = (sql: string) => queryDb<Row>(home.db, sql)
const CUSTOMERS = 'select * from customers order by id'
const TAGS = 'select c.customer_id, t.name from customer_tags c join tags t on t.id = c.tag_id order by c.customer_id, t.name'

describe('crm import on PostgreSQL writes exactly what it writes on SQLite', () => {
  for (const file of ['google-contacts.csv', 'outlook.csv', 'hubspot.csv', 'mailchimp.csv', 'contacts.vcf', 'cyrillic-1251.csv']) {
    test(file, async () => {
      const p = await onPg('import', fixture(file))
      const s = await onSqlite('import', fixture(file))
      expect(p.exitCode, p.stderr).toBe(0)
      expect(s.exitCode, s.stderr).toBe(0)
      expect(p.stderr.replace(/in \d+\.\d\d s/, '')).toBe(s.stderr.replace(/in \d+\.\d\d s/, ''))
      expect(await pgRows(CUSTOMERS)).toEqual(sqliteRows(CUSTOMERS))
      expect(await pgRows(TAGS)).toEqual(sqliteRows(TAGS))
    })
  }
})

describe('crm import on PostgreSQL', () => {
  test('importing the same file again changes nothing, not even updated_at', async () => {
    expect((await onPg('import', 'examples/contacts.csv'.replace(/^/, process.cwd() + '/'))).exitCode).toBe(0)
    const before = await pgRows(CUSTOMERS)
    const again = await runCrm(['--db', url, 'import', join(process.cwd(), 'examples/contacts.csv')], home.dir, { env: { CRM_NOW: '2026-12-01T00:00:00Z' } })
    expect(again.exitCode, again.stderr).toBe(0)
    expect(again.stderr).toMatch(/0 inserted, 0 updated, 5 unchanged/)
    expect(await pgRows(CUSTOMERS)).toEqual(before)
  })

  test('a changed row updates in place; rows of one file matching each other merge as on SQLite', async () => {
    const file = join(home.dir, 'people.csv')
    writeFileSync(file, 'external_id,first_name,email,tags\nA1,Ann,ann@example.com,vip\nA1,Anne,,gold\n,Bob,BOB@example.com,\n,Robert,bob@example.com,x\n')
    const p = await onPg('import', file)
    const s = await onSqlite('import', file)
    expect(p.exitCode, p.stderr).toBe(0)
    expect(p.stderr.replace(/in \d+\.\d\d s/, '')).toBe(s.stderr.replace(/in \d+\.\d\d s/, ''))
    expect(await pgRows(CUSTOMERS)).toEqual(sqliteRows(CUSTOMERS))
    expect(await pgRows(TAGS)).toEqual(sqliteRows(TAGS))
    writeFileSync(file, 'external_id,first_name,city\nA1,Ann,Paris\n')
    const p2 = await onPg('import', file)
    const s2 = await onSqlite('import', file)
    expect(p2.stderr).toMatch(/0 inserted, 1 updated/)
    expect(await pgRows(CUSTOMERS)).toEqual(sqliteRows(CUSTOMERS))
    expect(s2.exitCode).toBe(0)
  })

  test('purchases: the same rows as on SQLite; again changes nothing; an unknown customer writes nothing', async () => {
    const contacts = join(process.cwd(), 'examples/contacts.csv')
    const orders = join(process.cwd(), 'examples/purchases.csv')
    for (const run of [onPg, onSqlite]) {
      expect((await run('import', contacts)).exitCode).toBe(0)
      const r = await run('import', orders)
      expect(r.exitCode, r.stderr).toBe(0)
    }
    const PURCHASES = 'select * from purchases order by id'
    expect(await pgRows(PURCHASES)).toEqual(sqliteRows(PURCHASES))
    expect((await pgRows(PURCHASES)).length).toBeGreaterThan(0)
    const again = await onPg('import', orders)
    expect(again.stderr).toMatch(/0 inserted, 0 updated, \d+ unchanged/)
    const file = join(home.dir, 'orders.csv')
    writeFileSync(file, 'customer_email,purchased_at,product,amount,currency,order_id,line\nanna.mueller@example.com,2026-11-01,Tea,5.00,EUR,X1,1\nanna.mueller@example.com,2026-11-01,Cake,3.00,EUR,X1,2\nX1,2026-11-01,Cup,1.00,EUR,X1,1\nnobody@example.com,2026-11-01,Cup,1.00,EUR,X2,1\n')
    const bad = await onPg('import', file, '--type', 'purchases')
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr).toMatch(/no customer nobody@example\.com/)
    expect(await pgRows(PURCHASES)).toEqual(sqliteRows(PURCHASES))
    // Lines 1 and 3 are the same order line: the second updates the first, as on SQLite.
    writeFileSync(file, 'customer_email,purchased_at,product,amount,currency,order_id,line\nanna.mueller@example.com,2026-11-01,Tea,5.00,EUR,X1,1\nanna.mueller@example.com,2026-11-01,Cake,3.00,EUR,X1,2\nanna.mueller@example.com,2026-11-01,Cup,1.00,EUR,X1,1\n')
    const p = await onPg('import', file, '--type', 'purchases')
    const s = await onSqlite('import', file, '--type', 'purchases')
    expect(p.exitCode, p.stderr).toBe(0)
    expect(p.stderr.replace(/in \d+\.\d\d s/, '')).toBe(s.stderr.replace(/in \d+\.\d\d s/, ''))
    // PostgreSQL sequences are not rolled back: the failed import above used up two ids.
    const withoutIds = (rows: Row[]) => rows.map(({ id: _id, ...rest }) => rest)
    expect(withoutIds(await pgRows(PURCHASES))).toEqual(withoutIds(sqliteRows(PURCHASES)))
  })

  test('a file with a bad row writes nothing and names the line', async () => {
    await onPg('import', join(process.cwd(), 'examples/contacts.csv'))
    const before = await pgRows(CUSTOMERS)
    const r = await onPg('import', fixture('bad-rows.csv'))
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/bad-rows\.csv:\d+: /)
    expect(await pgRows(CUSTOMERS)).toEqual(before)
    expect(await pgRows('select action from audit order by id')).toEqual([{ action: 'import' }])
  })

  test('--on-conflict error rejects a known customer and writes nothing', async () => {
    await onPg('import', join(process.cwd(), 'examples/contacts.csv'))
    const r = await onPg('import', join(process.cwd(), 'examples/contacts.csv'), '--on-conflict', 'error')
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/already exists \(--on-conflict error\)/)
    expect((await pgRows('select count(*)::int as n from customers'))[0]).toEqual({ n: 5 })
  })

  test('an unreachable server is one clear line without the password', async () => {
    const r = await runCrm(['--db', 'postgres://crm:secret@127.0.0.1:1/crm', 'query'], home.dir)
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/^crm: postgres:\/\/crm:\*\*\*@127\.0\.0\.1:1\/crm: cannot connect to PostgreSQL: /)
    expect(r.stderr).not.toContain('secret')
  })
})

describe('planner statistics after a bulk load', () => {
  const analyzed = async (table: string) =>
    (await pgRows(`select last_analyze is not null as done from pg_stat_user_tables where relname = '${table}'`))[0]?.done

  test('an import of 1,000 rows or more refreshes them; a small one leaves it to autovacuum', async () => {
    expect((await onPg('import', join(process.cwd(), 'examples/contacts.csv'))).exitCode).toBe(0)
    expect(await analyzed('customers')).toBe(false)
    const file = join(home.dir, 'many.csv')
    const rows = Array.from({ length: 1200 }, (_, i) => `M${i},Name${i},Family,m${i}@example.com`)
    writeFileSync(file, ['external_id,first_name,last_name,email', ...rows].join('\n') + '\n')
    const r = await onPg('import', file)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(await analyzed('customers')).toBe(true)
    expect(await analyzed('purchases')).toBe(false)
  })

  test('crm copy into PostgreSQL refreshes them for every table it filled', async () => {
    expect((await onSqlite('import', join(process.cwd(), 'examples/contacts.csv'))).exitCode).toBe(0)
    const r = await runCrm(['copy', '--from', home.db, '--to', url], home.dir, { env })
    expect(r.exitCode, r.stderr).toBe(0)
    expect(await analyzed('customers')).toBe(true)
    expect(await analyzed('interactions')).toBe(false)
  })
})
