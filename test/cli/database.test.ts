import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

function peopleFile(name: string, from: number, count: number): string {
  const rows = ['external_id,first_name,email']
  for (let i = from; i < from + count; i++) rows.push(`P${i},Person ${i},p${i}@example.com`)
  const path = join(home.dir, name)
  writeFileSync(path, rows.join('\n') + '\n')
  return path
}

describe('the database file', () => {
  test('default location under XDG_DATA_HOME, created 0600 in a 0700 folder', async () => {
    const r = await runCrm(['import', peopleFile('a.csv', 0, 3)], home.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    const db = join(home.dir, 'data/crm/crm.db')
    expect(statSync(db).mode & 0o777).toBe(0o600)
    expect(statSync(join(home.dir, 'data/crm')).mode & 0o777).toBe(0o700)
    expect(queryDb(db, 'select count(*) as n from customers')).toEqual([{ n: 3 }])
  })

  test('CRM_DB is used when --db is not given, and --db wins over it', async () => {
    const viaEnv = join(home.dir, 'env.db')
    await runCrm(['import', peopleFile('a.csv', 0, 2)], home.dir, { env: { CRM_DB: viaEnv } })
    expect(queryDb(viaEnv, 'select count(*) as n from customers')).toEqual([{ n: 2 }])
    const viaFlag = join(home.dir, 'flag.db')
    await runCrm(['--db', viaFlag, 'import', peopleFile('b.csv', 0, 1)], home.dir, { env: { CRM_DB: viaEnv } })
    expect(queryDb(viaFlag, 'select count(*) as n from customers')).toEqual([{ n: 1 }])
    expect(queryDb(viaEnv, 'select count(*) as n from customers')).toEqual([{ n: 2 }])
  })

  test('a file that is not a database is refused in one line, untouched', async () => {
    const notDb = join(home.dir, 'notes.txt')
    writeFileSync(notDb, 'shopping list: milk, eggs\n')
    const r = await runCrm(['--db', notDb, 'import', peopleFile('a.csv', 0, 1)], home.dir)
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toBe(`crm: ${notDb}: not a crm database (not an SQLite file)\n`)
  })

  test('two imports at once: the second waits for the first, nothing lost or doubled', async () => {
    const a = peopleFile('a.csv', 0, 20000)
    const b = peopleFile('b.csv', 20000, 20000)
    const [ra, rb] = await Promise.all([runCrm(['--db', home.db, 'import', a], home.dir), runCrm(['--db', home.db, 'import', b], home.dir)])
    expect(ra.exitCode, ra.stderr).toBe(0)
    expect(rb.exitCode, rb.stderr).toBe(0)
    expect(queryDb(home.db, 'select count(*) as n, count(distinct external_id) as d from customers')).toEqual([{ n: 40000, d: 40000 }])
  })
})

describe('first use from several processes at once', () => {
  test('four processes creating the same new database all succeed', async () => {
    const files = [0, 1, 2, 3].map((i) => peopleFile(`f${i}.csv`, i * 100, 100))
    const runs = await Promise.all(files.map((f) => runCrm(['--db', home.db, 'import', f], home.dir)))
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0)
    expect(queryDb(home.db, 'select count(*) as n from customers')).toEqual([{ n: 400 }])
    const [m] = queryDb<{ n: number; d: number }>(home.db, 'select count(*) as n, count(distinct name) as d from kysely_migration')
    expect(m!.n).toBe(m!.d)
  })
})
