import { execFileSync, spawn } from 'node:child_process'
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { killAndWait, pausedRestore } from '../backup/helpers.js'
import { BIN, ROOT, runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, PG_URL, queryPg } from './pgHelpers.js'

// crm backup, list, verify, prune and restore against a real PostgreSQL server: the same
// commands and manifest as on SQLite, a pg_dump custom-format archive underneath.
const home = tempHome()
afterAll(() => home.cleanup())
const crm = (args: string[], env: Record<string, string | undefined> = {}) => runCrm(args, home.dir, { env })

/** `$XDG_DATA_HOME/crm/backups/<host>-<port>-<db>` for a test database URL. */
function defaultDir(url: string): string {
  const u = new URL(url)
  return join(home.dir, 'data', 'crm', 'backups', `${u.hostname}-${u.port || '5432'}-${u.pathname.slice(1)}`)
}

/** A database with the five example customers (and their tags) imported through crm. */
async function seeded(): Promise<string> {
  const url = await freshDatabase()
  const r = await crm(['--db', url, 'import', join(ROOT, 'examples/contacts.csv')])
  expect(r.exitCode, r.stderr).toBe(0)
  return url
}

async function backup(url: string, ...args: string[]): Promise<string> {
  const r = await crm(['--db', url, 'backup', ...args])
  expect(r.exitCode, r.stderr).toBe(0)
  return r.stdout.trim()
}

interface ListRow {
  id: string
  kind: string
  note: string
  customers: number
  verified: string
  encrypted: string
}
async function list(url: string): Promise<ListRow[]> {
  const r = await crm(['--db', url, 'backup', 'list', '--format', 'json'])
  expect(r.exitCode, r.stderr).toBe(0)
  return JSON.parse(r.stdout) as ListRow[]
}

const count = async (url: string, table: string) => Number((await queryPg<{ n: string }>(url, `select count(*) as n from ${table}`))[0]!.n)
const databases = async () => (await queryPg<{ datname: string }>(PG_URL, 'select datname from pg_database')).map((r) => r.datname)

describe('crm backup on PostgreSQL', () => {
  let url: string
  let id: string
  beforeAll(async () => {
    url = await seeded()
    id = await backup(url, '--note', 'first')
  })

  test('writes a pg_dump custom-format archive (pg_restore --list reads it), 0600 in a 0700 folder under XDG_DATA_HOME', async () => {
    const dir = defaultDir(url)
    expect(id).toMatch(/^\d{8}T\d{6}Z$/)
    expect(statSync(dir).mode & 0o777).toBe(0o700)
    expect(readdirSync(dir).sort()).toEqual([`${id}.dump`, `${id}.json`])
    for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777, f).toBe(0o600)
    const file = join(dir, `${id}.dump`)
    expect(readFileSync(file).subarray(0, 5).toString('latin1')).toBe('PGDMP')
    const toc = execFileSync('pg_restore', ['--list', file], { encoding: 'utf8' })
    expect(toc).toMatch(/TABLE DATA public customers/)
    const manifest = JSON.parse(readFileSync(join(dir, `${id}.json`), 'utf8'))
    expect(manifest).toMatchObject({
      id,
      kind: 'manual',
      engine: 'postgres',
      note: 'first',
      compression: 'pg_dump',
      encryption: null,
      schemaVersion: expect.stringMatching(/^\d{4}_/),
      tables: { customers: 5, tags: 2, customer_tags: 3 },
    })
    expect(manifest.fileBytes).toBe(statSync(file).size)
    expect(manifest.sha256).toBe(execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0])
    expect(manifest.source).toBe(url)
  })

  test('--to DIR and --format json as on SQLite', async () => {
    const to = join(home.dir, 'elsewhere')
    const r = await crm(['--db', url, 'backup', '--to', to, '--format', 'json'])
    expect(r.exitCode, r.stderr).toBe(0)
    const made = JSON.parse(r.stdout)
    expect(made.path).toBe(join(to, `${made.id}.dump`))
    expect(made.tables.customers).toBe(5)
    expect(statSync(to).mode & 0o777).toBe(0o700)
    expect(statSync(made.path).mode & 0o777).toBe(0o600)
    expect(r.stderr).toMatch(new RegExp(`^backup ${made.id}: .*\\.dump \\(.*, 5 customers\\)\\n$`))
  })

  test('a password in the URL stays out of the manifest and the messages', async () => {
    const u = new URL(url)
    u.password = 'sekrit-pw'
    const withPassword = u.toString()
    const r = await crm(['--db', withPassword, 'backup', '--to', join(home.dir, 'pw'), '--format', 'json'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout + r.stderr).not.toContain('sekrit-pw')
    const made = JSON.parse(r.stdout)
    expect(made.source).toBe(withPassword.replace(':sekrit-pw@', ':***@'))
    expect(readFileSync(join(home.dir, 'pw', `${made.id}.json`), 'utf8')).not.toContain('sekrit-pw')
  })

  test('list shows it; verify restores it into a scratch database, compares counts, drops the scratch database', async () => {
    expect((await list(url)).map((r) => [r.id, r.note, r.customers, r.verified])).toEqual([[id, 'first', 5, 'no']])
    const before = await databases()
    const r = await crm(['--db', url, 'backup', 'verify'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe(`${id} ok\n`)
    expect(r.stderr).toBe('1 backup verified\n')
    expect((await list(url))[0]!.verified).toMatch(/^ok /)
    expect((await databases()).sort()).toEqual(before.sort())
  })

  test('a changed byte in the archive is caught by verify: exit 1, recorded as FAILED', async () => {
    const other = await seeded()
    const bad = await backup(other)
    const file = join(defaultDir(other), `${bad}.dump`)
    const bytes = readFileSync(file)
    const at = Math.floor(bytes.length / 2)
    bytes[at] = bytes[at]! ^ 0x01
    writeFileSync(file, bytes)
    const r = await crm(['--db', other, 'backup', 'verify', '--all'])
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toBe(`${bad} FAILED: checksum does not match the manifest (the file was changed or damaged)\n`)
    expect(r.stderr).toBe('crm: 1 of 1 backup failed verification\n')
    expect((await list(other))[0]!.verified).toMatch(/^FAILED /)
    // restore checks first: the damaged backup is refused and the database left alone.
    await queryPg(other, `insert into customers (first_name) values ('Kept')`)
    const before = await databases()
    const r2 = await crm(['--db', other, 'restore', bad, '--yes'])
    expect(r2.exitCode).toBe(1)
    expect(r2.stderr).toBe(`crm: backup ${bad}: checksum does not match the manifest (the file was changed or damaged)\n`)
    expect(await count(other, 'customers')).toBe(6)
    expect((await databases()).sort()).toEqual(before.sort())
  })

  test('a server that ends idle transactions quickly does not cut the snapshot the counts come from', async () => {
    const strict = await seeded()
    const name = new URL(strict).pathname.slice(1)
    await queryPg(PG_URL, `alter database ${name} set idle_in_transaction_session_timeout = '1ms'`)
    const r = await crm(['--db', strict, 'backup', '--format', 'json'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout).tables.customers).toBe(5)
  })

  test('a backup taken while another session inserts: its counts are those of the snapshot it dumped', async () => {
    const busy = await seeded()
    const client = new pg.Client({ connectionString: busy })
    await client.connect()
    let stop = false
    let inserted = 0
    const writer = (async () => {
      while (!stop) {
        await client.query(`insert into customers (first_name, last_name) values ('Busy', $1)`, [String(inserted)])
        inserted++
      }
    })()
    try {
      await new Promise((r) => setTimeout(r, 200))
      const made = JSON.parse((await crm(['--db', busy, 'backup', '--format', 'json'])).stdout)
      await new Promise((r) => setTimeout(r, 200))
      stop = true
      await writer
      expect(made.tables.customers).toBeGreaterThan(5)
      expect(made.tables.customers).toBeLessThan(5 + inserted)
      const v = await crm(['--db', busy, 'backup', 'verify', made.id])
      expect(v.exitCode, v.stdout + v.stderr).toBe(0)
    } finally {
      stop = true
      await writer.catch(() => {})
      await client.end()
    }
  })
})

describe('crm restore on PostgreSQL', () => {
  test('brings back deleted rows, after a safety backup of the current data; no staging database left', async () => {
    const url = await seeded()
    const id = await backup(url)
    const before = await queryPg(url, 'select * from customers order by id')
    await queryPg(url, 'delete from customer_tags')
    await queryPg(url, 'delete from customers where id > 2')
    expect(await count(url, 'customers')).toBe(2)

    const refused = await crm(['--db', url, 'restore', id])
    expect(refused.exitCode).toBe(2)
    expect(refused.stderr).toMatch(/^crm: restore replaces postgres:\/\/.*: add --yes to confirm/)

    const r = await crm(['--db', url, 'restore', id, '--yes'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/^safety backup \d{8}T\d{6}Z(-\d+)? of the previous database taken\nrestored backup /)
    expect(await queryPg(url, 'select * from customers order by id')).toEqual(before)
    expect(await count(url, 'customer_tags')).toBe(3)
    // Ids continue after the restored ones (sequences come back with the data).
    await queryPg(url, `insert into customers (first_name) values ('New')`)
    expect((await queryPg(url, `select id from customers where first_name = 'New'`))[0]!.id).toBe(6)

    const rows = await list(url)
    expect(rows.map((x) => [x.kind, x.customers])).toEqual([
      ['safety', 2],
      ['manual', 5],
    ])
    expect(rows[0]!.note).toBe(`before restore of ${id}`)
    const name = new URL(url).pathname.slice(1)
    expect((await databases()).filter((d) => d.startsWith(name))).toEqual([name])
  })

  test.each(['extracted', 'locked', 'renamed'])('a restore killed at "%s" leaves the old database or the new one, whole; the next restore finishes', async (step) => {
    const url = await seeded()
    const id = await backup(url)
    await queryPg(url, `insert into customers (first_name) values ('Later')`)
    await killAndWait(await pausedRestore(url, id, step, { HOME: home.dir, XDG_DATA_HOME: join(home.dir, 'data') }), 'SIGKILL')
    expect(await count(url, 'customers')).toBe(step === 'renamed' ? 5 : 6)
    const again = await crm(['--db', url, 'restore', id, '--yes'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(await count(url, 'customers')).toBe(5)
    const name = new URL(url).pathname.slice(1)
    expect((await databases()).filter((d) => d.startsWith(name))).toEqual([name])
    expect(readdirSync(defaultDir(url)).filter((f) => f.includes('tmp') || f.startsWith('.'))).toEqual([])
  })

  test('the swapped-in database keeps the settings and grants of the database it replaces', async () => {
    const url = await seeded()
    const name = new URL(url).pathname.slice(1)
    const role = `crm_reader_${name.slice(-12)}`
    await queryPg(PG_URL, `create role ${role}`)
    try {
      await queryPg(PG_URL, `alter database ${name} set work_mem = '8MB'`)
      await queryPg(PG_URL, `alter database ${name} set search_path = public, "$user"`)
      await queryPg(PG_URL, `revoke all on database ${name} from public`)
      await queryPg(PG_URL, `grant connect on database ${name} to ${role}`)
      const describe = async () => ({
        settings: (await queryPg<{ c: string[] }>(PG_URL, `select s.setconfig as c from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase where d.datname = $1 and s.setrole = 0`, [name]))[0]?.c,
        acl: (await queryPg<{ a: string }>(PG_URL, `select datacl::text as a from pg_database where datname = $1`, [name]))[0]?.a,
      })
      const before = await describe()
      expect(before.settings).toEqual(['work_mem=8MB', 'search_path=public, "$user"'])
      expect(before.acl).toContain(`${role}=c/`)
      const id = await backup(url)
      const r = await crm(['--db', url, 'restore', id, '--yes'])
      expect(r.exitCode, r.stderr).toBe(0)
      expect(await describe()).toEqual(before)
      expect(await count(url, 'customers')).toBe(5)
    } finally {
      await queryPg(PG_URL, `drop database if exists ${name} with (force)`)
      await queryPg(PG_URL, `drop role ${role}`)
    }
  })

  test('an ordinary role (owner of its database, CREATEDB, no superuser) can back up, verify and restore', async () => {
    const suffix = Math.random().toString(16).slice(2, 10)
    const role = `crm_owner_${suffix}`
    const name = `crm_owned_${suffix}`
    await queryPg(PG_URL, `create role ${role} login createdb`)
    await queryPg(PG_URL, `create database ${name} owner ${role}`)
    const u = new URL(PG_URL)
    u.username = role
    u.password = ''
    u.pathname = `/${name}`
    const url = u.toString()
    try {
      expect((await crm(['--db', url, 'import', join(ROOT, 'examples/contacts.csv')])).exitCode).toBe(0)
      const id = await backup(url)
      const v = await crm(['--db', url, 'backup', 'verify'])
      expect(v.exitCode, v.stdout + v.stderr).toBe(0)
      await queryPg(url, 'delete from customer_tags')
      await queryPg(url, 'delete from customers')
      const r = await crm(['--db', url, 'restore', id, '--yes'])
      expect(r.exitCode, r.stderr).toBe(0)
      expect(await count(url, 'customers')).toBe(5)
      expect(await queryPg(PG_URL, 'select pg_get_userbyid(datdba) as owner from pg_database where datname = $1', [name])).toEqual([{ owner: role }])
    } finally {
      await queryPg(PG_URL, `drop database if exists ${name} with (force)`)
      await queryPg(PG_URL, `drop database if exists ${name}_crm_restore with (force)`)
      await queryPg(PG_URL, `drop role ${role}`)
    }
  })

  test('a database that was dropped comes back from its backup (no safety backup: nothing to keep)', async () => {
    const url = await seeded()
    const id = await backup(url)
    const name = new URL(url).pathname.slice(1)
    await queryPg(PG_URL, `drop database ${name} with (force)`)
    const r = await crm(['--db', url, 'restore', id, '--yes'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).not.toMatch(/safety backup/)
    expect(await count(url, 'customers')).toBe(5)
    expect((await list(url)).map((x) => x.kind)).toEqual(['manual'])
  })

  test('refused while another session is connected: nothing changes', async () => {
    const url = await seeded()
    const id = await backup(url)
    await queryPg(url, 'delete from customer_tags')
    await queryPg(url, 'delete from customers')
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      const r = await crm(['--db', url, 'restore', id, '--yes'])
      expect(r.exitCode).toBe(1)
      expect(r.stderr).toMatch(/crm: postgres:\/\/.*: another session is connected to the database; restore when they have finished \(nothing was changed\)\n$/)
      expect(Number((await client.query('select count(*) as n from customers')).rows[0].n)).toBe(0)
    } finally {
      await client.end()
    }
    const name = new URL(url).pathname.slice(1)
    expect((await databases()).filter((d) => d.startsWith(name))).toEqual([name])
  })

  test('--to another database restores there and leaves the live one alone; a database that is not empty is refused', async () => {
    const url = await seeded()
    const id = await backup(url)
    await queryPg(url, 'delete from customer_tags')
    await queryPg(url, 'delete from customers where id > 1')
    const copy = await freshDatabase()
    const r = await crm(['--db', url, 'restore', id, '--to', copy])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(await count(copy, 'customers')).toBe(5)
    expect(await count(url, 'customers')).toBe(1)
    const again = await crm(['--db', url, 'restore', id, '--to', copy])
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toMatch(/^crm: postgres:\/\/.* is not empty \(table \w+\); restore into a new or empty database\n$/)
    const file = await crm(['--db', url, 'restore', id, '--to', join(home.dir, 'x.db')])
    expect(file.exitCode).toBe(2)
    expect(file.stderr).toMatch(/^crm: --to: a PostgreSQL backup restores into a postgres:\/\/ database/)
  })
})

describe('encryption, retention and missing tools on PostgreSQL', () => {
  test('--encrypt: not an archive without the passphrase; a wrong one is a clear error; the right one verifies and restores', async () => {
    const url = await seeded()
    const made = JSON.parse((await crm(['--db', url, 'backup', '--encrypt', '--format', 'json'], { CRM_BACKUP_PASSPHRASE: 'correct horse' })).stdout)
    expect(made.file).toBe(`${made.id}.dump.enc`)
    expect(statSync(made.path).mode & 0o777).toBe(0o600)
    expect(readFileSync(made.path).subarray(0, 8).toString('latin1')).toBe('CRMENC01')
    const wrong = await crm(['--db', url, 'backup', 'verify'], { CRM_BACKUP_PASSPHRASE: 'wrong' })
    expect(wrong.exitCode).toBe(1)
    expect(wrong.stdout).toBe(`${made.id} FAILED: wrong passphrase (CRM_BACKUP_PASSPHRASE or --passphrase-file)\n`)
    expect((await list(url))[0]!.verified).toBe('no')
    const none = await crm(['--db', url, 'backup', 'verify'])
    expect(none.exitCode).toBe(2)
    const ok = await crm(['--db', url, 'backup', 'verify'], { CRM_BACKUP_PASSPHRASE: 'correct horse' })
    expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0)
    const copy = await freshDatabase()
    const restored = await crm(['--db', url, 'restore', made.id, '--to', copy], { CRM_BACKUP_PASSPHRASE: 'correct horse' })
    expect(restored.exitCode, restored.stderr).toBe(0)
    expect(await count(copy, 'customers')).toBe(5)
    expect(readdirSync(defaultDir(url)).filter((f) => f.includes('tmp'))).toEqual([])
  })

  test('prune with a fake clock keeps the newest of each day', async () => {
    const url = await seeded()
    const days = ['2026-11-01T02:00:00Z', '2026-11-02T02:00:00Z', '2026-11-02T14:00:00Z', '2026-11-03T02:00:00Z']
    const ids: string[] = []
    for (const at of days) ids.push((await crm(['--db', url, 'backup'], { CRM_NOW: at })).stdout.trim())
    expect(ids).toEqual(['20261101T020000Z', '20261102T020000Z', '20261102T140000Z', '20261103T020000Z'])
    const r = await crm(['--db', url, 'backup', 'prune', '--keep-daily', '2', '--format', 'json'], { CRM_NOW: '2026-11-03T03:00:00Z' })
    expect(r.exitCode, r.stderr).toBe(0)
    const rows = JSON.parse(r.stdout) as Array<{ id: string; action: string }>
    expect(rows.filter((x) => x.action === 'remove').map((x) => x.id).sort()).toEqual(['20261101T020000Z', '20261102T020000Z'])
    expect(readdirSync(defaultDir(url)).sort()).toEqual(['20261102T140000Z.dump', '20261102T140000Z.json', '20261103T020000Z.dump', '20261103T020000Z.json'])
  })

  test('pg_dump missing from PATH: one clear line, exit 1, no backup', async () => {
    const url = await seeded()
    const r = await crm(['--db', url, 'backup'], { PATH: join(home.dir, 'no-such-bin') })
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toBe('crm: pg_dump not found: install the PostgreSQL client tools (apt install postgresql-client) or put pg_dump on PATH\n')
    expect((await list(url)).length).toBe(0)
  })

  test('a backup killed while pg_dump writes leaves no backup, only a leftover that prune sweeps', async () => {
    const url = await seeded()
    const bin = join(home.dir, 'slow-pg-bin')
    mkdirSync(bin, { recursive: true })
    // Reports a version newer than any server, writes the start of an archive, then hangs.
    writeFileSync(
      join(bin, 'pg_dump'),
      '#!/bin/sh\n[ "$1" = --version ] && { echo "pg_dump (PostgreSQL) 99.0"; exit 0; }\n' +
        'for a in "$@"; do case "$a" in --file=*) printf PGDMP-partial > "${a#--file=}";; esac; done\nexec sleep 60\n',
    )
    chmodSync(join(bin, 'pg_dump'), 0o755)
    const child = spawn(process.execPath, [BIN, '--db', url, 'backup'], {
      env: { PATH: `${bin}:${process.env.PATH}`, HOME: home.dir, XDG_DATA_HOME: join(home.dir, 'data') },
      stdio: 'ignore',
      detached: true,
    })
    const dir = defaultDir(url)
    const partial = async () => {
      for (let i = 0; i < 200; i++) {
        const found = (() => {
          try {
            return readdirSync(dir).find((f) => f.endsWith('.dump.tmp'))
          } catch {
            return undefined
          }
        })()
        if (found && statSync(join(dir, found)).size > 0) return found
        await new Promise((r) => setTimeout(r, 100))
      }
      throw new Error('pg_dump never started')
    }
    const leftover = await partial()
    process.kill(-child.pid!, 'SIGKILL') // crm and its pg_dump
    expect(await list(url)).toEqual([])
    // Another second than the killed run's (the same id would reuse, and so replace, its leftover).
    const again = await crm(['--db', url, 'backup'], { CRM_NOW: '2030-01-01T00:00:00Z' })
    expect(again.exitCode, again.stderr).toBe(0)
    const r = await crm(['--db', url, 'backup', 'prune', '--keep-last', '5'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toMatch(/removed 1 leftover file/)
    expect(readdirSync(dir)).not.toContain(leftover)
    expect((await list(url)).length).toBe(1)
  })

  test('a pg_dump older than the server: one clear line, exit 1', async () => {
    const url = await seeded()
    const bin = join(home.dir, 'old-pg-bin')
    mkdirSync(bin, { recursive: true })
    for (const tool of ['pg_dump', 'pg_restore']) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} (PostgreSQL) 9.6.24"\n`)
      chmodSync(join(bin, tool), 0o755)
    }
    const r = await crm(['--db', url, 'backup'], { PATH: `${bin}:${process.env.PATH}` })
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/^crm: pg_dump 9 is older than the PostgreSQL \d+ server: install the client tools of version \d+ or newer \(apt install postgresql-client-\d+\)\n$/)
    expect((await list(url)).length).toBe(0)
  })

  test('a migration that keeps failing on PostgreSQL is backed up once, not on every try', async () => {
    const url = await seeded()
    // 0006 drops and recreates one index, so it can run again; without that index it fails and rolls back.
    const last = { name: '0006_purchases_customer_covering' }
    await queryPg(url, 'delete from kysely_migration where name = $1', [last.name])
    await queryPg(url, 'drop index purchases_customer')
    for (let i = 0; i < 2; i++) {
      const r = await crm(['--db', url, 'query', '--format', 'json'])
      expect(r.exitCode).toBe(1)
      expect(r.stderr).toMatch(/^crm: .*purchases_customer/)
    }
    expect((await list(url)).map((x) => [x.kind, x.note])).toEqual([['safety', `before migration ${last.name}`]])
  })

  test('a schema migration on PostgreSQL takes a safety backup first', async () => {
    const url = await seeded()
    // Pretend migration 0006 is new (it drops and recreates one index, so it can run again).
    const last = { name: '0006_purchases_customer_covering' }
    await queryPg(url, 'delete from kysely_migration where name = $1', [last.name])
    const r = await crm(['--db', url, 'query', '--format', 'json'])
    expect(r.exitCode, r.stderr).toBe(0)
    const rows = await list(url)
    expect(rows.map((x) => [x.kind, x.note, x.customers])).toEqual([['safety', `before migration ${last.name}`, 5]])
  })
})
