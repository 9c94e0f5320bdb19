import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { queryDb, ROOT, runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, queryPg } from './pgHelpers.js'

// One SQLite database with customers, tags and purchases, copied to PostgreSQL once;
// the filters then must answer the same on both.
const home = tempHome()
let url: string
const env = { CRM_NOW: '2026-11-20T12:00:00Z' }
const crm = (...args: string[]) => runCrm(args, home.dir, { env })

beforeAll(async () => {
  url = await freshDatabase()
  expect((await crm('--db', home.db, 'import', join(ROOT, 'examples/contacts.csv'))).exitCode).toBe(0)
  expect((await crm('--db', home.db, 'import', join(ROOT, 'examples/purchases.csv'))).exitCode).toBe(0)
})
afterAll(() => home.cleanup())

describe('crm copy', () => {
  test('SQLite → PostgreSQL → SQLite: same rows, same checksums', async () => {
    const there = await crm('copy', '--from', home.db, '--to', url, '--format', 'json')
    expect(there.exitCode, there.stderr).toBe(0)
    expect(there.stderr).toMatch(/^copied 17 rows in 14 tables from .* to postgres:\/\/.*, verified, in \d/)
    const summary = JSON.parse(there.stdout) as { tables: Array<{ table: string; rows: number; checksum: string }> }
    expect(summary.tables.find((t) => t.table === 'customers')?.rows).toBe(5)
    expect(summary.tables.find((t) => t.table === 'purchases')?.rows).toBe(5)
    const back = join(home.dir, 'back.db')
    const again = await crm('copy', '--from', url, '--to', back, '--format', 'json')
    expect(again.exitCode, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout).tables).toEqual(summary.tables)
    const all = 'select * from customers order by id'
    expect(queryDb(back, all)).toEqual(queryDb(home.db, all))
    expect(await queryPg(url, 'select * from purchases order by id')).toEqual(queryDb(home.db, 'select * from purchases order by id'))
  })

  test('ids generated after a copy continue after the copied ones', async () => {
    const target = await freshDatabase()
    expect((await crm('copy', '--from', home.db, '--to', target)).exitCode).toBe(0)
    const file = join(home.dir, 'one.csv')
    writeFileSync(file, 'first_name,email\nZed,zed@example.com\n')
    const r = await crm('--db', target, 'import', file)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(await queryPg(target, "select id from customers where email = 'zed@example.com'")).toEqual([{ id: 6 }])
  })

  test('into a database that is not empty: refused, nothing written', async () => {
    const target = await freshDatabase()
    const file = join(home.dir, 'two.csv')
    writeFileSync(file, 'first_name,email\nAl,al@example.com\n')
    expect((await crm('--db', target, 'import', file)).exitCode).toBe(0)
    const r = await crm('copy', '--from', home.db, '--to', target)
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/^crm: postgres:\/\/.*: table customers is not empty; copy only into a new database\n$/)
    expect(await queryPg(target, 'select first_name from customers')).toEqual([{ first_name: 'Al' }])
  })
})

describe('crm query answers the same on PostgreSQL as on SQLite', () => {
  const filters = [
    [], ['--spent-gt', '10'], ['--spent-lt', '100'], ['--days', '3650', '--orders-gt', '0'], ['--since', '2026-01-01', '--until', '2026-12-31'],
    ['--birthday-within', '200'], ['--age-min', '30', '--age-max', '60'], ['--zip', '9'], ['--tag', 'vip'], ['--search', 'smith'],
    ['--bought', 'coffee'], ['--category', 'books'], ['--inactive-days', '30'], ['--consent', 'email'], ['--gender', 'f'], ['--country', 'DE'],
  ]
  for (const f of filters) {
    test(f.join(' ') || '(everyone)', async () => {
      const args = ['query', ...f, '--format', 'json', '--sort', 'spent_cents:desc', '--sort', 'last_name']
      const s = await crm('--db', home.db, ...args)
      const p = await crm('--db', url, ...args)
      expect(s.exitCode, s.stderr).toBe(0)
      expect(p.exitCode, p.stderr).toBe(0)
      expect(p.stdout).toBe(s.stdout)
    })
  }

  test('--limit and --offset page the same way', async () => {
    const args = ['query', '--format', 'csv', '--offset', '2']
    expect((await crm('--db', url, ...args)).stdout).toBe((await crm('--db', home.db, ...args)).stdout)
  })
})
