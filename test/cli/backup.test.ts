import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { knownMigrations } from '../../src/db/migrate.js'
import { openSqliteDb } from '../../src/db/openDb.js'
import { queryDb, ROOT, runCrm, tempHome } from '../helpers/runCrm.js'
import { holdWriteTransaction, killAndWait, pausedRestore, seedCustomers, startWriter } from '../backup/helpers.js'

let home: ReturnType<typeof tempHome>
let dir: string
beforeEach(() => {
  home = tempHome()
  dir = join(home.dir, 'backups')
})
afterEach(() => home.cleanup())

const crm = (args: string[], env: Record<string, string> = {}) => runCrm(['--db', home.db, ...args], home.dir, { env })
const count = (db: string, table = 'customers') => queryDb<{ n: number }>(db, `select count(*) as n from ${table}`)[0]!.n
const manifestOf = (id: string) => JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8'))
const mode = (p: string) => statSync(p).mode & 0o777

function flipByte(path: string, at: number): void {
  const buf = readFileSync(path)
  buf[at] = buf[at]! ^ 0xff
  writeFileSync(path, buf)
}

describe('crm backup', () => {
  test('backs up, lists, verifies and restores into a new file; every file 0600 in a 0700 folder', async () => {
    await seedCustomers(home.db, 250)
    const r = await crm(['backup', '--note', 'first'])
    expect(r.exitCode, r.stderr).toBe(0)
    const id = r.stdout.trim()
    expect(id).toMatch(/^\d{8}T\d{6}Z$/)
    expect(r.stderr).toContain(`backup ${id}: ${join(dir, id)}.db.gz`)
    expect(r.stderr).toContain('250 customers')
    const m = manifestOf(id)
    expect(m).toMatchObject({ id, kind: 'manual', note: 'first', schemaVersion: knownMigrations().at(-1), compression: 'gzip', encryption: null })
    expect(m.tables.customers).toBe(250)

    const list = await crm(['backup', 'list', '--format', 'json'])
    expect(list.exitCode, list.stderr).toBe(0)
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ id, note: 'first', customers: 250, verified: 'no', encrypted: 'no', kind: 'manual' }),
    ])

    const v = await crm(['backup', 'verify'])
    expect(v.exitCode, v.stderr).toBe(0)
    expect(v.stdout).toBe(`${id} ok\n`)
    expect(manifestOf(id).verified).toMatchObject({ ok: true, full: false, error: null })
    expect((await crm(['backup', 'verify', id, '--full'])).stdout).toBe(`${id} ok\n`)

    const to = join(home.dir, 'copy.db')
    const rr = await crm(['restore', id, '--to', to])
    expect(rr.exitCode, rr.stderr).toBe(0)
    expect(count(to)).toBe(250)
    expect(queryDb(to, 'select first_name, last_name, email from customers order by id')).toEqual(
      queryDb(home.db, 'select first_name, last_name, email from customers order by id'),
    )
    expect(mode(dir)).toBe(0o700)
    for (const f of readdirSync(dir)) expect([f, mode(join(dir, f))]).toEqual([f, 0o600])
    expect(mode(to)).toBe(0o600)
    // No temporary file is left anywhere.
    expect(readdirSync(home.dir).filter((f) => f.includes('tmp'))).toEqual([])
  })

  test('a backup taken while another process inserts in a loop is consistent; verify and restore agree', async () => {
    await seedCustomers(home.db, 1000)
    const writer = await startWriter(home.db)
    const ids: string[] = []
    try {
      for (let i = 0; i < 3; i++) {
        const r = await crm(['backup', '--format', 'json'])
        expect(r.exitCode, r.stderr).toBe(0)
        ids.push(JSON.parse(r.stdout).id)
      }
    } finally {
      await killAndWait(writer)
    }
    const v = await crm(['backup', 'verify', '--all'])
    expect(v.exitCode, v.stdout + v.stderr).toBe(0)
    expect(v.stdout.trim().split('\n')).toEqual(ids.reverse().map((id) => `${id} ok`))
    // The check read the live database beside the copy: the writer's short transactions
    // let the backup hold writers off while both snapshots were taken.
    for (const id of ids) expect(manifestOf(id).checkedOn).toBe('snapshot')
    const counts = ids.map((id) => manifestOf(id).tables.customers as number)
    // The writer was running: later backups hold more rows, and every count is the seed
    // plus whole transactions of 10 (never half of one).
    expect(counts[0]).toBeGreaterThan(1000)
    for (const c of counts) expect((c - 1000) % 10).toBe(0)
    const final = queryDb<{ id: number; email: string }>(home.db, 'select id, email from customers order by id')
    for (const id of ids) {
      const to = join(home.dir, `restored-${id}.db`)
      const rr = await crm(['restore', id, '--to', to])
      expect(rr.exitCode, rr.stderr).toBe(0)
      const restored = queryDb<{ id: number; email: string }>(to, 'select id, email from customers order by id')
      expect(restored.length).toBe(manifestOf(id).tables.customers)
      // A prefix of what the live database holds now: nothing missing, nothing invented.
      expect(restored).toEqual(final.slice(0, restored.length))
      expect(queryDb(to, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }])
    }
  }, 120_000) // eleven crm runs beside a busy writer

  test('beside a long write transaction the backup checks the copy instead, and holds what was committed', async () => {
    await seedCustomers(home.db, 200)
    const writer = await holdWriteTransaction(home.db, 5000)
    try {
      const r = await crm(['backup', '--format', 'json'])
      expect(r.exitCode, r.stderr).toBe(0)
      const id = JSON.parse(r.stdout).id as string
      expect(manifestOf(id)).toMatchObject({ checkedOn: 'copy', quickCheck: 'ok', tables: { customers: 200 } })
      const to = join(home.dir, 'restored.db')
      expect((await crm(['restore', id, '--to', to])).exitCode).toBe(0)
      expect(count(to)).toBe(200)
    } finally {
      await new Promise((resolve) => (writer.exitCode === null ? writer.once('exit', resolve) : resolve(null)))
    }
    expect(count(home.db)).toBe(205)
  }, 60_000)

  test('a damaged database is not backed up: one clear line, exit 1, no backup kept', async () => {
    await seedCustomers(home.db, 2000)
    // Damage only the last pages (index pages), which opening the database does not read.
    const buf = readFileSync(home.db)
    buf.fill(0x5a, buf.length - 6 * 4096, buf.length - 2 * 4096)
    writeFileSync(home.db, buf)
    const r = await crm(['backup'])
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^crm: the snapshot of .*crm\.db failed its check: (quick_check failed|the database is damaged): .*; no backup was kept\n$/)
    expect(existsSync(dir) ? readdirSync(dir).filter((f) => !f.startsWith('.lock')) : []).toEqual([])
    // The damaged file itself is left exactly as it was.
    expect(readFileSync(home.db)).toEqual(buf)
  })

  test('a flipped byte is caught by verify, recorded, and shown by list; restore refuses it', async () => {
    await seedCustomers(home.db, 300)
    const id = (await crm(['backup'])).stdout.trim()
    const file = join(dir, `${id}.db.gz`)
    flipByte(file, Math.floor(statSync(file).size / 2))
    const v = await crm(['backup', 'verify', id])
    expect(v.exitCode).toBe(1)
    expect(v.stdout).toBe(`${id} FAILED: checksum does not match the manifest (the file was changed or damaged)\n`)
    expect(v.stderr).toBe('crm: 1 of 1 backup failed verification\n')
    expect(manifestOf(id).verified).toMatchObject({ ok: false })
    const list = await crm(['backup', 'list', '--format', 'csv'])
    expect(list.stdout).toMatch(new RegExp(`^${id},.*,FAILED `, 'm'))
    const rr = await crm(['restore', id, '--yes'])
    expect(rr.exitCode).toBe(1)
    expect(rr.stderr).toContain('checksum does not match')
    expect(count(home.db)).toBe(300)
  })

  test('a manifest whose row counts disagree with the data fails verify', async () => {
    await seedCustomers(home.db, 20)
    const id = (await crm(['backup'])).stdout.trim()
    const m = manifestOf(id)
    m.tables.customers = 21
    writeFileSync(join(dir, `${id}.json`), JSON.stringify(m))
    const v = await crm(['backup', 'verify', id])
    expect(v.exitCode).toBe(1)
    expect(v.stdout).toBe(`${id} FAILED: table customers has 20 rows, the manifest says 21\n`)
  })

  test('encrypted: the passphrase comes from the environment or a file; a wrong one is a clear error; tampering fails', async () => {
    await seedCustomers(home.db, 50)
    const env = { CRM_BACKUP_PASSPHRASE: 'correct horse battery staple' }
    const r = await crm(['backup', '--encrypt'], env)
    expect(r.exitCode, r.stderr).toBe(0)
    const id = r.stdout.trim()
    const file = join(dir, `${id}.db.gz.enc`)
    expect(manifestOf(id).encryption).toBe('aes-256-gcm+scrypt')
    expect(readFileSync(file).subarray(0, 8).toString()).toBe('CRMENC01')
    expect(mode(file)).toBe(0o600)

    const none = await crm(['backup', 'verify', id])
    expect(none.exitCode).toBe(2)
    expect(none.stderr).toContain('is encrypted: set CRM_BACKUP_PASSPHRASE or give --passphrase-file')
    const wrong = await crm(['restore', id, '--to', join(home.dir, 'x.db')], { CRM_BACKUP_PASSPHRASE: 'Tr0ub4dor&3' })
    expect(wrong.exitCode).toBe(1)
    expect(wrong.stderr).toBe(`crm: backup ${id}: wrong passphrase (CRM_BACKUP_PASSPHRASE or --passphrase-file)\n`)
    expect(existsSync(join(home.dir, 'x.db'))).toBe(false)
    const wrongVerify = await crm(['backup', 'verify', id], { CRM_BACKUP_PASSPHRASE: 'nope' })
    expect(wrongVerify.exitCode).toBe(1)
    expect(manifestOf(id).verified).toBeNull() // a wrong passphrase says nothing about the backup

    const ppFile = join(home.dir, 'pass.txt')
    writeFileSync(ppFile, 'correct horse battery staple\n', { mode: 0o600 })
    const ok = await crm(['backup', 'verify', id, '--passphrase-file', ppFile])
    expect(ok.exitCode, ok.stderr).toBe(0)
    const to = join(home.dir, 'dec.db')
    expect((await crm(['restore', id, '--to', to, '--passphrase-file', ppFile])).exitCode).toBe(0)
    expect(count(to)).toBe(50)

    // Tampering: re-sign the manifest's checksum is not possible, but even a matching
    // checksum cannot hide a changed ciphertext from the GCM tag.
    flipByte(file, 200)
    const bad = await crm(['backup', 'verify', id], env)
    expect(bad.exitCode).toBe(1)
    expect(bad.stdout).toContain(`${id} FAILED: checksum does not match`)

    const noPass = await crm(['backup', '--encrypt'])
    expect(noPass.exitCode).toBe(2)
    expect(noPass.stderr).toContain('--encrypt needs a passphrase')
  }, 120_000) // seven scrypt derivations (128 MiB each) on a shared machine

  test('prune with a fake clock keeps the policy and the newest verified backup, and --dry-run deletes nothing', async () => {
    await seedCustomers(home.db, 5)
    const days = ['2026-01-05', '2026-01-20', '2026-02-10', '2026-02-11', '2026-02-12', '2026-03-01', '2026-03-02']
    const ids: string[] = []
    for (const d of days) {
      const r = await crm(['backup'], { CRM_NOW: `${d}T02:00:00Z` })
      expect(r.exitCode, r.stderr).toBe(0)
      ids.push(r.stdout.trim())
    }
    expect(ids[0]).toBe('20260105T020000Z')
    // Only the oldest is verified: prune must keep it.
    expect((await crm(['backup', 'verify', ids[0]!], { CRM_NOW: '2026-03-02T03:00:00Z' })).exitCode).toBe(0)
    const args = ['backup', 'prune', '--keep-daily', '2', '--keep-monthly', '2', '--format', 'csv']
    const dry = await crm([...args, '--dry-run'])
    expect(dry.exitCode, dry.stderr).toBe(0)
    expect(dry.stdout).toBe(
      [
        'id,time,action,reasons',
        '20260302T020000Z,2026-03-02T02:00:00.000Z,keep,"daily 2026-03-02, monthly 2026-03"',
        '20260301T020000Z,2026-03-01T02:00:00.000Z,keep,daily 2026-03-01',
        '20260212T020000Z,2026-02-12T02:00:00.000Z,keep,monthly 2026-02',
        '20260211T020000Z,2026-02-11T02:00:00.000Z,remove,',
        '20260210T020000Z,2026-02-10T02:00:00.000Z,remove,',
        '20260120T020000Z,2026-01-20T02:00:00.000Z,remove,',
        '20260105T020000Z,2026-01-05T02:00:00.000Z,keep,newest verified',
        '',
      ].join('\n'),
    )
    expect(dry.stderr).toBe('would remove 3 backups, kept 4\n')
    expect(readdirSync(dir).filter((f) => f.endsWith('.json'))).toHaveLength(7)
    const real = await crm(args)
    expect(real.exitCode, real.stderr).toBe(0)
    expect(readdirSync(dir).sort()).toEqual(
      ['20260105T020000Z', '20260212T020000Z', '20260301T020000Z', '20260302T020000Z'].flatMap((id) => [`${id}.db.gz`, `${id}.json`]),
    )
    const none = await crm(['backup', 'prune'])
    expect(none.exitCode).toBe(2)
    expect(none.stderr).toContain('say what to keep')
   }, 90_000) // eleven crm runs

  test('two backups never race: a live lock holder is refused, a stale lock is taken over', async () => {
    await seedCustomers(home.db, 5)
    expect((await crm(['backup'])).exitCode).toBe(0)
    const { hostname } = await import('node:os')
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: process.pid, host: hostname(), at: '2026-01-01T00:00:00Z' }))
    const busy = await crm(['backup'])
    expect(busy.exitCode).toBe(1)
    expect(busy.stderr).toContain(`crm: another backup or restore is running (pid ${process.pid}`)
    // A PID that no longer runs: a crashed backup's lock.
    const dead = spawn(process.execPath, ['-e', ''])
    await new Promise((r) => dead.once('exit', r))
    writeFileSync(join(dir, '.lock'), JSON.stringify({ pid: dead.pid, host: hostname(), at: '2026-01-01T00:00:00Z' }))
    const ok = await crm(['backup'])
    expect(ok.exitCode, ok.stderr).toBe(0)
    expect(existsSync(join(dir, '.lock'))).toBe(false)
  })

  test('backup of a missing database is an error and creates nothing', async () => {
    const r = await crm(['backup'])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toBe(`crm: ${home.db}: no such database\n`)
    expect(existsSync(home.db)).toBe(false)
  })

  test('a schema migration of an existing database is preceded by a safety backup', async () => {
    await seedCustomers(home.db, 7)
    // Put the database back to the schema before the newest migration (as an older crm left it).
    const [previous, last] = knownMigrations().slice(-2) as [string, string]
    const migration = (await import(pathToFileURL(join(ROOT, 'migrations', `${last}.ts`)).href)) as { down(db: unknown): Promise<void> }
    const old = await openSqliteDb(home.db)
    await migration.down(old.db)
    old.sqlite.prepare('delete from kysely_migration where name = ?').run(last)
    await old.close()
    const r = await crm(['query', '--format', 'csv', '--fields', 'id'])
    expect(r.exitCode, r.stderr).toBe(0)
    const [m] = JSON.parse((await crm(['backup', 'list', '--format', 'json'])).stdout) as Array<{ kind: string; note: string; customers: number; id: string }>
    expect(m).toMatchObject({ kind: 'safety', note: `before migration ${last}`, customers: 7 })
    expect(manifestOf(m!.id).schemaVersion).toBe(previous)
    expect(queryDb(home.db, `select name from kysely_migration order by name`).map((x) => (x as { name: string }).name)).toContain(last)
    // Already up to date: no more safety backups.
    expect((await crm(['query', '--format', 'csv', '--fields', 'id'])).exitCode).toBe(0)
    expect(JSON.parse((await crm(['backup', 'list', '--format', 'json'])).stdout)).toHaveLength(1)
  })

  test('--quiet: nothing on stderr on success', async () => {
    await seedCustomers(home.db, 3)
    const r = await crm(['--quiet', 'backup'])
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toBe('')
    expect(r.stdout).toMatch(/^\d{8}T\d{6}Z\n$/)
  })
})

describe('crm restore', () => {
  test('replaces the live database after a safety backup; needs --yes without a terminal', async () => {
    await seedCustomers(home.db, 100)
    const id = (await crm(['backup'])).stdout.trim()
    await seedCustomers(home.db, 40, 'later')
    const refused = await crm(['restore', id])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toBe(`crm: restore replaces ${home.db}: add --yes to confirm (stdin is not a terminal)\n`)
    expect(count(home.db)).toBe(140)

    const r = await crm(['restore', id.slice(0, 8), '--yes'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^safety backup \d{8}T\d{6}Z(-\d+)? of the previous database taken\n/)
    expect(count(home.db)).toBe(100)
    expect(mode(home.db)).toBe(0o600)
    const list = JSON.parse((await crm(['backup', 'list', '--format', 'json'])).stdout) as Array<{ kind: string; note: string; customers: number }>
    expect(list[0]).toMatchObject({ kind: 'safety', note: `before restore of ${id}`, customers: 140 })
    for (const f of readdirSync(dir)) expect([f, mode(join(dir, f))]).toEqual([f, 0o600])
    // The restored database works with crm: a backup of it (which opens it) succeeds.
    expect((await crm(['backup'])).exitCode).toBe(0)
  })

  test('a stale WAL left by a killed writer is not replayed over the restored database', async () => {
    await seedCustomers(home.db, 100)
    const id = (await crm(['backup'])).stdout.trim()
    const writer = await startWriter(home.db, { keepWal: true, batches: 30 })
    await killAndWait(writer)
    expect(statSync(`${home.db}-wal`).size).toBeGreaterThan(0)
    const r = await crm(['restore', id, '--yes'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(count(home.db)).toBe(100)
    expect(queryDb(home.db, `select count(*) as n from customers where last_name = 'Writer'`)).toEqual([{ n: 0 }])
    // …and the safety backup holds the writer's rows that were only in the WAL.
    const safety = JSON.parse((await crm(['backup', 'list', '--format', 'json'])).stdout)[0]
    expect(safety.customers).toBe(400)
  })

  test('refuses while another process has the database open; nothing changes', async () => {
    await seedCustomers(home.db, 10)
    const id = (await crm(['backup'])).stdout.trim()
    const writer = await startWriter(home.db, { batches: 1 })
    try {
      const r = await crm(['restore', id, '--yes'])
      expect(r.exitCode).toBe(1)
      expect(r.stderr).toContain('another crm process is using the database; restore when it has finished')
    } finally {
      await killAndWait(writer)
    }
    expect(count(home.db)).toBe(20)
  })

  test.each(['extracted', 'locked', 'renamed'])('a restore killed at "%s" leaves a working database, old or new', async (step) => {
    await seedCustomers(home.db, 100)
    const id = (await crm(['backup'])).stdout.trim()
    await seedCustomers(home.db, 50, 'later')
    await killAndWait(await pausedRestore(home.db, id, step, { HOME: home.dir }), 'SIGKILL')
    const n = count(home.db)
    expect(n).toBe(step === 'renamed' ? 100 : 150)
    expect(queryDb(home.db, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }])
    // crm still opens and backs it up; a second restore finishes the job.
    const again = await crm(['restore', id, '--yes'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(count(home.db)).toBe(100)
    expect(readdirSync(home.dir).filter((f) => f.includes('.tmp'))).toEqual([])
  })

  test('a live database too damaged to back up is kept aside, then replaced', async () => {
    await seedCustomers(home.db, 2000)
    const id = (await crm(['backup'])).stdout.trim()
    // Scribble over the middle of the file: pages of the customers table and its indexes.
    const buf = readFileSync(home.db)
    buf.fill(0x5a, 8 * 4096, 40 * 4096)
    writeFileSync(home.db, buf)
    const r = await crm(['restore', id, '--yes'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/could not be backed up \(damaged\); its bytes were kept in .*crm\.db\.damaged-\d{8}T\d{9}Z/)
    expect(count(home.db)).toBe(2000)
    expect(queryDb(home.db, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }])
    const aside = readdirSync(home.dir).find((f) => f.startsWith('crm.db.damaged-'))!
    expect(readFileSync(join(home.dir, aside))).toEqual(buf)
    expect(mode(join(home.dir, aside))).toBe(0o600)
  })

  test('restore --to refuses an existing file and an unknown id', async () => {
    await seedCustomers(home.db, 10)
    const id = (await crm(['backup'])).stdout.trim()
    const r = await crm(['restore', id, '--to', home.db])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toBe(`crm: ${home.db} already exists; restore into a new path (or remove it first)\n`)
    const u = await crm(['restore', '1999', '--yes'])
    expect(u.exitCode).toBe(1)
    expect(u.stderr).toBe(`crm: no backup 1999 in ${dir} (crm backup list shows them)\n`)
  })
})
