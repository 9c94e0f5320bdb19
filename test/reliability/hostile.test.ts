import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { BIN, queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')
const isRoot = process.getuid?.() === 0

function peopleFile(name: string, from: number, count: number, dir = home.dir): string {
  const rows = ['external_id,first_name,last_name,email,notes']
  for (let i = from; i < from + count; i++) rows.push(`H${i},Person ${i},Surname${i},h${i}@example.com,${'note '.repeat(20)}`)
  const path = join(dir, name)
  writeFileSync(path, rows.join('\n') + '\n')
  return path
}

/** One line on stderr, `crm: …`, no stack trace. */
function expectOneCleanLine(stderr: string): void {
  expect(stderr).toMatch(/^crm: [^\n]+\n$/)
  expect(stderr).not.toMatch(/internal error|\n\s+at /)
}

describe('disk full', () => {
  // CI runs as root, which may mount a tmpfs; as another user this test cannot make a small disk.
  test.runIf(isRoot)('an import that fills a 1 MB tmpfs fails in one line and leaves the database as it was', async () => {
    const mnt = join(home.dir, 'small')
    mkdirSync(mnt)
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mnt])
    try {
      const db = join(mnt, 'crm.db')
      const first = await runCrm(['--db', db, 'import', peopleFile('a.csv', 0, 50)], home.dir)
      expect(first.exitCode, first.stderr).toBe(0)
      const r = await runCrm(['--db', db, 'import', peopleFile('big.csv', 1000, 20000)], home.dir)
      expect(r.exitCode).toBe(1)
      expectOneCleanLine(r.stderr)
      expect(r.stderr).toContain('disk is full')
      expect(queryDb(db, 'select count(*) as n from customers')).toEqual([{ n: 50 }])
      const check = new BetterSqlite3(db)
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok')
      check.close()
      // With room again, the same import goes through.
      const again = await runCrm(['--db', db, 'import', peopleFile('small.csv', 5000, 10)], home.dir)
      expect(again.exitCode, again.stderr).toBe(0)
    } finally {
      execFileSync('umount', [mnt])
    }
  })
})

describe('a read-only database, as a user who is not root', () => {
  const USER = 'crm-rel-test'
  /** Runs crm as USER when we are root (root writes through file modes), else as ourselves. */
  function runAsUser(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const env = ['HOME=' + home.dir, 'XDG_DATA_HOME=' + join(home.dir, 'data'), 'XDG_CONFIG_HOME=' + join(home.dir, 'config'), 'PATH=' + process.env.PATH]
    const cmd = isRoot ? ['runuser', '-u', USER, '--', 'env', ...env, process.execPath, BIN, ...args] : ['env', ...env, process.execPath, BIN, ...args]
    const r = spawnSync(cmd[0]!, cmd.slice(1), { cwd: home.dir, encoding: 'utf8', input: '' })
    return { status: r.status, stdout: r.stdout, stderr: r.stderr }
  }

  test('writing fails in one line; the file is unchanged', async () => {
    if (isRoot) {
      if (spawnSync('id', ['-u', USER]).status !== 0) execFileSync('useradd', ['-M', '-s', '/usr/sbin/nologin', USER])
      const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }))
      chownSync(home.dir, uid, uid)
      chmodSync(home.dir, 0o700)
    }
    const db = join(home.dir, 'crm.db')
    const made = await runCrm(['--db', db, 'import', peopleFile('a.csv', 0, 5)], home.dir)
    expect(made.exitCode, made.stderr).toBe(0)
    // Checkpointed and out of WAL, then made read-only: a user's archived copy.
    const s = new BetterSqlite3(db)
    s.pragma('journal_mode = DELETE')
    s.close()
    if (isRoot) {
      const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }))
      chownSync(db, uid, uid)
      chownSync(join(home.dir, 'a.csv'), uid, uid)
    }
    chmodSync(db, 0o400)
    const before = sha(db)
    expect(runAsUser(['--version']).status).toBe(0)
    const r = runAsUser(['--db', db, 'import', peopleFile('b.csv', 100, 5)])
    expect(r.status).toBe(1)
    expectOneCleanLine(r.stderr)
    expect(r.stderr).toMatch(/cannot write the database|read-only|permission/i)
    expect(sha(db)).toBe(before)
    const add = runAsUser(['--db', db, 'add', '--first-name', 'Ana', '--email', 'ana@example.com'])
    expect(add.status).toBe(1)
    expectOneCleanLine(add.stderr)
    expect(sha(db)).toBe(before)
  })
})

describe('files that are not what they claim', () => {
  test('a text file given as the database: every command refuses it in one line, bytes unchanged', async () => {
    const notDb = join(home.dir, 'notes.db')
    writeFileSync(notDb, 'SQLite format 2\nnot really\n'.repeat(200))
    const before = sha(notDb)
    for (const args of [['query'], ['backup'], ['dedupe'], ['export', '--format', 'csv']]) {
      const r = await runCrm(['--db', notDb, ...args], home.dir)
      expect(r.exitCode, args.join(' ')).toBe(1)
      expectOneCleanLine(r.stderr)
      expect(r.stderr).toContain('not a crm database')
    }
    expect(sha(notDb)).toBe(before)
    expect(existsSync(notDb + '-wal')).toBe(false)
  })

  test('an SQLite file with a damaged page: one line pointing at crm restore', async () => {
    const db = join(home.dir, 'crm.db')
    await runCrm(['--db', db, 'import', peopleFile('a.csv', 0, 2000)], home.dir)
    const s = new BetterSqlite3(db)
    s.pragma('journal_mode = DELETE')
    s.close()
    const bytes = readFileSync(db)
    // Scribble over a page in the middle (the customers table's data), leave the header.
    bytes.fill(0xa5, 4096 * 5, 4096 * 5 + 4096)
    writeFileSync(db, bytes)
    const r = await runCrm(['--db', db, 'query', '--format', 'csv'], home.dir)
    expect(r.exitCode).toBe(1)
    expectOneCleanLine(r.stderr)
    expect(r.stderr).toContain('damaged')
  })

  test('a database from a newer crm: refused in one line, not migrated, bytes unchanged', async () => {
    const db = join(home.dir, 'crm.db')
    await runCrm(['--db', db, 'import', peopleFile('a.csv', 0, 3)], home.dir)
    const s = new BetterSqlite3(db)
    s.prepare(`insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2030-01-01T00:00:00.000Z')`).run()
    s.pragma('journal_mode = DELETE')
    s.close()
    const before = sha(db)
    for (const args of [['query'], ['import', peopleFile('b.csv', 10, 3)]]) {
      const r = await runCrm(['--db', db, ...args], home.dir)
      expect(r.exitCode).toBe(1)
      expectOneCleanLine(r.stderr)
      expect(r.stderr).toContain('newer version of crm (schema 9999_from_the_future)')
    }
    expect(sha(db)).toBe(before)
  })
})

describe('missing folders', () => {
  test('a database path through a file: one line, exit 1', async () => {
    const file = peopleFile('a.csv', 0, 1)
    const r = await runCrm(['--db', join(file, 'sub', 'crm.db'), 'import', file], home.dir)
    expect(r.exitCode).toBe(1)
    expectOneCleanLine(r.stderr)
    expect(r.stderr).toContain('cannot create the database folder')
  })

  test('an import file in a missing folder: one line, nothing created', async () => {
    const db = join(home.dir, 'crm.db')
    const r = await runCrm(['--db', db, 'import', join(home.dir, 'nowhere', 'a.csv')], home.dir)
    expect(r.exitCode).toBe(1)
    expectOneCleanLine(r.stderr)
    expect(r.stderr).toContain('no such file')
  })

  test('a missing database folder is made, 0700, on first use', async () => {
    const db = join(home.dir, 'new', 'deeper', 'crm.db')
    const r = await runCrm(['--db', db, 'import', peopleFile('a.csv', 0, 2)], home.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(queryDb(db, 'select count(*) as n from customers')).toEqual([{ n: 2 }])
  })
})
