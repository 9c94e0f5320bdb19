import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { openSqliteDb } from '../../src/db/openDb.js'
import { knownMigrations } from '../../src/db/migrate.js'
import { IMPORT_CACHE_KIB, importTransaction } from '../../src/import/importTransaction.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-db-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('openDb', () => {
  test('creates the database 0600 in a 0700 folder, WAL, foreign keys, migrated', async () => {
    const path = join(dir, 'nested', 'crm.db')
    const crm = await openSqliteDb(path)
    expect(crm.sqlite.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(crm.sqlite.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(crm.sqlite.pragma('busy_timeout', { simple: true })).toBeGreaterThanOrEqual(60_000)
    const applied = crm.sqlite.prepare('select name from kysely_migration order by name').pluck().all()
    expect(applied).toEqual(knownMigrations())
    await crm.db.insertInto('customers').values({ first_name: 'Ana', email: 'ana@example.com' }).execute()
    await crm.close()
    expect(statSync(path).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'nested')).mode & 0o777).toBe(0o700)
    expect(statSync(path + '-wal', { throwIfNoEntry: false })?.mode ?? 0o600).toSatisfy((m: number) => (m & 0o077) === 0)
  })

  test("a connection keeps the driver's page cache; only an import's transaction asks for 64 MB", async () => {
    // A 64 MB cache on every connection made one-shot queries fault in tens of MB they never
    // needed (docs/benchmarks.md, "the page cache of a fresh process").
    const path = join(dir, 'crm.db')
    const crm = await openSqliteDb(path)
    const memory = new BetterSqlite3(':memory:')
    const driverDefault = memory.pragma('cache_size', { simple: true })
    memory.close()
    expect(crm.sqlite.pragma('cache_size', { simple: true })).toBe(driverDefault)
    const trx = importTransaction(crm)
    await trx.begin()
    expect(crm.sqlite.pragma('cache_size', { simple: true })).toBe(-IMPORT_CACHE_KIB)
    await trx.rollback()
    await crm.close()
  })

  test('opening again applies nothing and keeps the data', async () => {
    const path = join(dir, 'crm.db')
    const a = await openSqliteDb(path)
    await a.db.insertInto('customers').values({ first_name: 'Ana' }).execute()
    await a.close()
    const b = await openSqliteDb(path)
    const rows = await b.db.selectFrom('customers').select('first_name').execute()
    expect(rows).toEqual([{ first_name: 'Ana' }])
    await b.close()
  })

  test('a file that is not SQLite is refused with one clear line', async () => {
    const path = join(dir, 'notes.db')
    writeFileSync(path, 'these are my notes, not a database\n')
    await expect(openSqliteDb(path)).rejects.toThrow(/not a crm database/)
  })

  test('a database from a newer crm is refused and left alone', async () => {
    const path = join(dir, 'crm.db')
    const a = await openSqliteDb(path)
    await a.close()
    const raw = new BetterSqlite3(path)
    raw.prepare("insert into kysely_migration (name, timestamp) values ('9999_from_the_future', 'x')").run()
    raw.close()
    await expect(openSqliteDb(path)).rejects.toThrow(/newer version of crm/)
  })
})

describe('a database that missed a migration numbered before ones it has', () => {
  test('gets it applied instead of being refused', async () => {
    const path = join(dir, 'gap.db')
    const a = await openSqliteDb(path)
    await a.close()
    const names = knownMigrations()
    expect(names.length).toBeGreaterThanOrEqual(3)
    const middle = names[1]!
    const raw = new BetterSqlite3(path)
    const migration = (await import(`../../migrations/${middle}.ts`)) as { down: (db: unknown) => Promise<void> }
    raw.close()
    const b = await openSqliteDb(path)
    await migration.down(b.db)
    b.sqlite.prepare('delete from kysely_migration where name = ?').run(middle)
    await b.close()
    const c = await openSqliteDb(path)
    expect(c.sqlite.prepare('select name from kysely_migration order by name').pluck().all()).toEqual(names)
    await c.close()
  })
})
