import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { knownMigrations } from '../../src/db/migrate.js'
import { openSqliteDb } from '../../src/db/openDb.js'
import { quickCountRequest } from '../../src/cli/quickCountRequest.js'
import { queryDb, ROOT, runCrm, tempHome, type CrmResult } from '../helpers/runCrm.js'

// `crm [--db P] [-q] query|filter --count` is answered by src/cli/quickCount.ts without the
// parser, Kysely or zod (startup.test.ts checks what it loads). These check that it says what
// the general path says, and hands over to it whenever it must. `--city Berlin` keeps a
// command line on the general path with the same count on these databases (no customer there).

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

const crm = (args: string[], env?: Record<string, string>) => runCrm(args, home.dir, { env })
const quick = (db: string, env?: Record<string, string>) => crm(['--db', db, 'query', '--count'], env)
const general = (db: string, env?: Record<string, string>) => crm(['--db', db, 'query', '--count', '--city', 'Berlin'], env)

/** The same answer, word for word, on both paths. */
function expectSame(a: CrmResult, b: CrmResult): void {
  expect({ exitCode: a.exitCode, stdout: a.stdout, stderr: a.stderr }).toEqual({ exitCode: b.exitCode, stdout: b.stdout, stderr: b.stderr })
}

describe('crm query --count answered early', () => {
  test('counts every customer but the erased ones, as the rows of crm query do; filter, -q and --quiet alike', async () => {
    for (const name of ['Ann', 'Bob', 'Cy']) expect((await crm(['--db', home.db, 'add', '--first-name', name])).exitCode).toBe(0)
    expect((await crm(['--db', home.db, 'forget', '2', '--yes', '--reason', 'asked'])).exitCode).toBe(0)
    const rows = (await crm(['--db', home.db, 'query', '--format', 'csv', '--fields', 'id'])).stdout.trim().split('\n').slice(1)
    expect(rows).toEqual(['1', '3'])
    for (const args of [
      ['--db', home.db, 'query', '--count'],
      ['--db', home.db, 'filter', '--count'],
      ['-q', '--db', home.db, 'query', '--count'],
      ['--db', home.db, '--quiet', 'filter', '--count'],
    ]) {
      expect(await crm(args)).toEqual({ exitCode: 0, stdout: '2\n', stderr: '' })
    }
    // CRM_DB names the database when --db does not.
    expect((await crm(['query', '--count'], { CRM_DB: home.db })).stdout).toBe('2\n')
  })

  test('a database that does not exist yet is created (0600) and migrated by the general path', async () => {
    const db = join(home.dir, 'new', 'crm.db')
    expect(await quick(db)).toEqual({ exitCode: 0, stdout: '0\n', stderr: '' })
    expect(statSync(db).mode & 0o777).toBe(0o600)
    expect(queryDb<{ name: string }>(db, 'select name from kysely_migration order by name').map((r) => r.name)).toEqual(knownMigrations())
  })

  test('a missing migration is applied by the general path, after a safety backup, and the count is right', async () => {
    for (const name of ['Ann', 'Bob']) expect((await crm(['--db', home.db, 'add', '--first-name', name])).exitCode).toBe(0)
    const last = knownMigrations().at(-1)!
    const migration = (await import(pathToFileURL(join(ROOT, 'migrations', `${last}.ts`)).href)) as { down(db: unknown): Promise<void> }
    const old = await openSqliteDb(home.db)
    await migration.down(old.db)
    old.sqlite.prepare('delete from kysely_migration where name = ?').run(last)
    await old.close()
    const r = await quick(home.db)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('2\n')
    expect(queryDb<{ name: string }>(home.db, 'select name from kysely_migration order by name').map((x) => x.name)).toContain(last)
    const backups = JSON.parse((await crm(['--db', home.db, 'backup', 'list', '--format', 'json'])).stdout) as Array<{ note: string }>
    expect(backups.map((b) => b.note)).toEqual([`before migration ${last}`])
  })

  test('a PostgreSQL URL goes to the general path: the same connection error, the password hidden', async () => {
    const url = 'postgres://crm:secret@127.0.0.1:1/none'
    const a = await quick(url)
    expect(a.exitCode).toBe(1)
    expect(a.stderr).toMatch(/^crm: postgres:\/\/crm:\*\*\*@127\.0\.0\.1:1\/none: cannot connect to PostgreSQL: /)
    expectSame(a, await general(url))
  })

  test('a hand-edited config with a bad value: the same one-line error on both paths, nothing written', async () => {
    expect((await quick(home.db)).exitCode).toBe(0)
    const before = readFileSync(home.db)
    mkdirSync(join(home.dir, 'config', 'crm'), { recursive: true })
    const config = join(home.dir, 'config', 'crm', 'config.json')
    for (const text of ['{"currency":"usd"}', '{"country":', '{"label_offset_x":"2mm"}']) {
      writeFileSync(config, text)
      const a = await quick(home.db)
      expect(a.exitCode).toBe(1)
      expect(a.stderr).toMatch(new RegExp(`^crm: ${config.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: .+\\n$`))
      expect(a.stdout).toBe('')
      expectSame(a, await general(home.db))
    }
    expect(readFileSync(home.db).equals(before)).toBe(true)
  })

  test('a database written by a newer crm is refused on both paths, and left byte for byte as it was', async () => {
    expect((await quick(home.db)).exitCode).toBe(0)
    const db = new BetterSqlite3(home.db)
    db.prepare("insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2030-01-01T00:00:00Z')").run()
    db.pragma('journal_mode = DELETE')
    db.close()
    const before = readFileSync(home.db)
    const a = await quick(home.db)
    expect(a.exitCode).toBe(1)
    expect(a.stderr).toBe('crm: this database was written by a newer version of crm (schema 9999_from_the_future); upgrade crm to use it\n')
    expectSame(a, await general(home.db))
    expect(readFileSync(home.db).equals(before)).toBe(true)
  })

  test('not a database (a text file, a folder): the same error on both paths', async () => {
    const text = join(home.dir, 'notes.txt')
    writeFileSync(text, 'not a database at all, just text\n')
    const a = await quick(text)
    expect(a).toMatchObject({ exitCode: 1, stderr: `crm: ${text}: not a crm database (not an SQLite file)\n` })
    expectSame(a, await general(text))
    const folder = join(home.dir, 'folder.db')
    mkdirSync(folder)
    const b = await quick(folder)
    expect(b).toMatchObject({ exitCode: 1, stderr: `crm: ${folder}: is a folder, not a database file\n` })
    expectSame(b, await general(folder))
  })

  test('anything more than the bare count goes to the general path: a bad flag is still a usage error', async () => {
    const bad = await crm(['--db', home.db, 'query', '--count', '--nope'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain("unknown option '--nope'")
  })
})

describe('which command lines the quick count may answer', () => {
  test.each([
    [['query', '--count'], { quiet: false }],
    [['filter', '--count'], { quiet: false }],
    [['--db', 'a.db', 'query', '--count'], { db: 'a.db', quiet: false }],
    [['-q', '--db', 'a.db', '--quiet', 'filter', '--count'], { db: 'a.db', quiet: true }],
  ] as const)('%j: yes', (args, request) => {
    expect(quickCountRequest(args)).toEqual(request)
  })

  test.each([
    [['query']],
    [['query', '--count', '--city', 'Berlin']],
    [['query', '--city', 'Berlin', '--count']],
    [['query', '--count', '--db', 'a.db']],
    [['--db=a.db', 'query', '--count']],
    [['--db', '--quiet', 'query', '--count']],
    [['--db', 'query', '--count']],
    [['query', '--count', '--help']],
    [['help', 'query', '--count']],
    [['labels', '--count']],
  ] as const)('%j: no, commander parses it', (args) => {
    expect(quickCountRequest(args)).toBeUndefined()
  })
})
