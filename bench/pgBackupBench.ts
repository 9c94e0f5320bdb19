/**
 * PostgreSQL backup figures for docs/benchmarks.md ("Backups on PostgreSQL"): `crm backup`,
 * `crm backup verify`, `crm restore --yes` and `crm restore --to` on a generated database
 * (seeded, deterministic: the query bench's builder, copied into PostgreSQL with
 * `crm copy`), beside bare `pg_dump -Fc` and `pg_restore` of the same database.
 *
 *   npm run build && node dist/bench/pgBackupBench.js --db postgres://postgres@127.0.0.1:5432/postgres [--customers N] [--purchases N]
 *
 * The server URL's role needs CREATEDB; the bench makes and drops `crm_bench_backup_*`.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { buildQueryDb } from './buildQueryDb.js'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/crm.js')

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1]! : fallback
}
const server = flag('db', process.env.CRM_TEST_PG_URL ?? '')
if (!server) throw new Error('give --db postgres://… (a server where the role may create databases)')
const customers = Number(flag('customers', '100000'))
const purchases = Number(flag('purchases', String(customers * 3)))

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: server })
  await c.connect()
  try {
    await c.query(sql)
  } finally {
    await c.end()
  }
}
function urlOf(db: string): string {
  const u = new URL(server)
  u.pathname = `/${db}`
  return u.toString()
}

const home = mkdtempSync(join(tmpdir(), 'crm-pgbench-'))
const env = { ...process.env, CRM_BACKUP_PASSPHRASE: 'bench passphrase', HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), TZ: 'UTC' }
function timed(label: string, cmd: string, args: string[]): { s: number; out: string } {
  const t = process.hrtime.bigint()
  const r = spawnSync(cmd, args, { env, encoding: 'utf8' })
  const s = Number(process.hrtime.bigint() - t) / 1e9
  if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`)
  return { s, out: r.stdout.trim() }
}

const dataDir = join(ROOT, 'bench/data')
mkdirSync(dataDir, { recursive: true })
const file = join(dataDir, `pgbackup-${customers}c-${purchases}p.db`)
if (!existsSync(file)) {
  await buildQueryDb({ path: file, customers, purchases, seed: 42, end: '2026-11-20T12:00:00Z', currency: 'USD' })
}
const live = `crm_bench_backup_${customers}`
const copyName = `${live}_to`
const dumpDb = `${live}_pgrestore`
for (const d of [live, copyName, dumpDb]) await admin(`drop database if exists ${d} with (force)`)
await admin(`create database ${live}`)
const lines: string[] = []
try {
  const copy = timed('crm copy', process.execPath, [BIN, 'copy', '--from', file, '--to', urlOf(live)])
  lines.push(`${customers} customers, ${purchases} purchases (SQLite file ${(statSync(file).size / 2 ** 20).toFixed(0)} MiB), load average ${loadavg()[0]!.toFixed(1)}; crm copy into PostgreSQL ${copy.s.toFixed(1)} s`)
  const dumpFile = join(home, 'bare.dump')
  const bare = timed('pg_dump', 'pg_dump', ['--format=custom', `--file=${dumpFile}`, `--dbname=${urlOf(live)}`])
  lines.push(`bare pg_dump --format=custom (its default compression, -Z6): ${bare.s.toFixed(2)} s, ${(statSync(dumpFile).size / 2 ** 20).toFixed(1)} MiB`)
  await admin(`create database ${dumpDb}`)
  const bareRestore = timed('pg_restore', 'pg_restore', ['--exit-on-error', '--single-transaction', `--dbname=${urlOf(dumpDb)}`, dumpFile])
  lines.push(`bare pg_restore --single-transaction into a new database: ${bareRestore.s.toFixed(2)} s`)
  const b = timed('crm backup', process.execPath, [BIN, '--db', urlOf(live), 'backup', '--format', 'json'])
  const made = JSON.parse(b.out) as { id: string; fileBytes: number }
  lines.push(`crm backup: ${b.s.toFixed(2)} s, ${(made.fileBytes / 2 ** 20).toFixed(1)} MiB (pg_dump + counts in its snapshot + pg_restore --list + sha256 + fsync)`)
  const v = timed('crm backup verify', process.execPath, [BIN, '--db', urlOf(live), 'backup', 'verify', made.id])
  lines.push(`crm backup verify: ${v.s.toFixed(2)} s (sha256, pg_restore --list, restore into a scratch database, counts, drop)`)
  const r = timed('crm restore', process.execPath, [BIN, '--db', urlOf(live), 'restore', made.id, '--yes'])
  lines.push(`crm restore --yes: ${r.s.toFixed(2)} s (restore into a staging database + counts, safety backup of the live one, rename swap, drop)`)
  const t = timed('crm restore --to', process.execPath, [BIN, '--db', urlOf(live), 'restore', made.id, '--to', urlOf(copyName)])
  lines.push(`crm restore --to a new database: ${t.s.toFixed(2)} s`)
  const e = timed('crm backup --encrypt', process.execPath, [BIN, '--db', urlOf(live), 'backup', '--encrypt'])
  lines.push(`crm backup --encrypt: ${e.s.toFixed(2)} s`)
  lines.push(`pg_dump: ${execFileSync('pg_dump', ['--version'], { encoding: 'utf8' }).trim()}`)
} finally {
  for (const d of [live, copyName, dumpDb]) await admin(`drop database if exists ${d} with (force)`)
  rmSync(home, { recursive: true, force: true })
}
for (const l of lines) console.log(`- ${l}`)
