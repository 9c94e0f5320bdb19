/**
 * Import speed and memory: `crm import` of N generated customers and M purchases, beside
 * the sqlite3 shell's `.import` of the same customers file in the same run.
 *
 *   node dist/bench/importBench.js [--sizes 100000,1000000] [--data bench/data] [--db postgres://…]
 *     [--purchases-per-customer 10]
 *
 * With `--db postgres://…` the same imports (and the mission query) also run on PostgreSQL,
 * in a new database made through that server (and dropped afterwards), beside SQLite.
 *
 * Data comes from generateData.js (seeded), generated once and reused.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/crm.js')

interface Run {
  seconds: number
  peakMb: number | null
  stderr: string
}

/** Runs a command under GNU time for its wall time and peak resident memory. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const hasTime = existsSync('/usr/bin/time')
  const started = performance.now()
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'PEAK_KB=%M', cmd, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 })
  const seconds = (performance.now() - started) / 1000
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  const peak = /PEAK_KB=(\d+)/.exec(r.stderr ?? '')
  return { seconds, peakMb: peak ? Math.round(Number(peak[1]) / 1024) : null, stderr: r.stderr }
}

/** sqlite-utils' CSV import (the issue's second yardstick), when it is installed. */
function sqliteUtilsImport(csv: string, db: string): { seconds: number; version: string } | null {
  const version = spawnSync('sqlite-utils', ['--version'], { encoding: 'utf8' })
  if (version.status !== 0) return null
  rmSync(db, { force: true })
  const run = timed('sqlite-utils', ['insert', db, 'customers', csv, '--csv'])
  rmSync(db, { force: true })
  return { seconds: run.seconds, version: version.stdout.trim().split(' ').pop() ?? '' }
}

function ensureData(dir: string, customers: number, purchases: number): { customers: string; purchases: string } {
  const sub = join(dir, `c${customers}-p${purchases}`)
  const files = { customers: join(sub, 'customers.csv'), purchases: join(sub, 'purchases.csv') }
  if (!existsSync(files.customers) || !existsSync(files.purchases)) {
    mkdirSync(sub, { recursive: true })
    console.error(`generating ${customers} customers and ${purchases} purchases in ${sub} …`)
    timed(process.execPath, [join(ROOT, 'dist/bench/generateData.js'), '--customers', String(customers), '--purchases', String(purchases), '--out', sub, '--seed', '1'])
  }
  return files
}

function sqliteShellImport(csv: string, db: string): Run | null {
  if (spawnSync('sqlite3', ['-version']).status !== 0) return null
  rmSync(db, { force: true })
  return timed('sqlite3', [db, '-cmd', '.mode csv', `.import ${csv} customers`])
}

const mb = (file: string) => (statSync(file).size / 1024 / 1024).toFixed(0)
const rate = (rows: number, s: number) => Math.round(rows / s).toLocaleString('en-US')

async function benchSize(dataDir: string, customers: number, purchases: number, server?: string): Promise<string[]> {
  const files = ensureData(dataDir, customers, purchases)
  const work = join(dataDir, 'work')
  mkdirSync(work, { recursive: true })
  const db = join(work, 'import.db')
  for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true })
  const lines: string[] = []
  const env = { CRM_CONFIG: join(work, 'config.json'), XDG_DATA_HOME: work }
  const n = (x: number) => x.toLocaleString('en-US')

  const c = timed(process.execPath, [BIN, '--db', db, 'import', files.customers, '--quiet'], env)
  lines.push(`crm import, ${n(customers)} customers (${mb(files.customers)} MB): ${c.seconds.toFixed(1)} s, ${rate(customers, c.seconds)} rows/s, peak ${c.peakMb} MB`)
  const again = timed(process.execPath, [BIN, '--db', db, 'import', files.customers, '--quiet'], env)
  lines.push(`crm import of the same ${n(customers)} again (all unchanged): ${again.seconds.toFixed(1)} s, peak ${again.peakMb} MB`)
  const shell = sqliteShellImport(files.customers, join(work, 'shell.db'))
  if (shell) {
    lines.push(`sqlite3 shell .import of the same file (no validation, no indexes): ${shell.seconds.toFixed(1)} s, ${rate(customers, shell.seconds)} rows/s; crm/.import = ${(c.seconds / shell.seconds).toFixed(2)}×`)
  } else lines.push('sqlite3 shell not installed: apt-get install sqlite3 for the comparison')
  const utils = sqliteUtilsImport(files.customers, join(work, 'sqlite-utils.db'))
  if (utils) {
    lines.push(`sqlite-utils insert --csv of the same file (Debian's sqlite-utils ${utils.version}; no validation): ${utils.seconds.toFixed(1)} s, ${rate(customers, utils.seconds)} rows/s; sqlite-utils/crm = ${(utils.seconds / c.seconds).toFixed(2)}×`)
  } else lines.push('sqlite-utils not installed: apt-get install sqlite-utils for the comparison')
  if (purchases > 0) {
    const p = timed(process.execPath, [BIN, '--db', db, 'import', files.purchases, '--quiet'], env)
    lines.push(`crm import, ${n(purchases)} purchases (${mb(files.purchases)} MB): ${p.seconds.toFixed(1)} s, ${rate(purchases, p.seconds)} rows/s, peak ${p.peakMb} MB`)
  }
  const q = timed(process.execPath, [BIN, '--db', db, ...MISSION_QUERY], env)
  lines.push(`SQLite: crm ${MISSION_QUERY.join(' ')}: ${q.seconds.toFixed(2)} s`)
  if (server) lines.push(...(await postgresBench(server, files, customers, purchases, env)))
  return lines
}
/** The mission's example query (DESIGN.md), counted without printing. */
const MISSION_QUERY = ['query', '--gender', 'f', '--spent-gt', '500', '--days', '30', '--format', 'csv', '--fields', 'id']

async function postgresBench(
  server: string,
  files: { customers: string; purchases: string },
  customers: number,
  purchases: number,
  env: NodeJS.ProcessEnv,
): Promise<string[]> {
  const { default: pg } = await import('pg')
  const name = `crm_bench_${Date.now()}`
  const admin = new pg.Client({ connectionString: server })
  await admin.connect()
  await admin.query(`create database ${name}`)
  const url = new URL(server)
  url.pathname = `/${name}`
  const db = url.toString()
  const lines: string[] = []
  try {
    const c = timed(process.execPath, [BIN, '--db', db, 'import', files.customers, '--quiet'], env)
    lines.push(`PostgreSQL: crm import, ${customers.toLocaleString('en-US')} customers: ${c.seconds.toFixed(1)} s, ${rate(customers, c.seconds)} rows/s, peak ${c.peakMb} MB`)
    const again = timed(process.execPath, [BIN, '--db', db, 'import', files.customers, '--quiet'], env)
    lines.push(`PostgreSQL: crm import of the same file again (all unchanged): ${again.seconds.toFixed(1)} s`)
    if (purchases > 0) {
      const p = timed(process.execPath, [BIN, '--db', db, 'import', files.purchases, '--quiet'], env)
      lines.push(`PostgreSQL: crm import, ${purchases.toLocaleString('en-US')} purchases: ${p.seconds.toFixed(1)} s, ${rate(purchases, p.seconds)} rows/s, peak ${p.peakMb} MB`)
    }
    // Fresh tables have no planner statistics yet; autovacuum would gather them soon after.
    const bench = new pg.Client({ connectionString: db })
    await bench.connect()
    await bench.query('analyze')
    await bench.end()
    const q = timed(process.execPath, [BIN, '--db', db, ...MISSION_QUERY], env)
    lines.push(`PostgreSQL: crm ${MISSION_QUERY.join(' ')}: ${q.seconds.toFixed(2)} s`)
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.end()
  }
  return lines
}


/**
 * Two sizes, ten purchases a customer, so peak memory shows whether it grows with the file.
 * `--purchases-per-customer 1` keeps a PostgreSQL run of a million customers to minutes.
 */
export async function importBench(argv: string[] = process.argv.slice(2)): Promise<string[]> {
  const { values } = parseArgs({
    args: argv,
    options: { sizes: { type: 'string', default: '100000,1000000' }, data: { type: 'string', default: join(ROOT, 'bench/data') }, db: { type: 'string' }, 'purchases-per-customer': { type: 'string', default: '10' } },
    allowPositionals: true,
    strict: false,
  })
  const sizes = String(values.sizes).split(',').map(Number)
  const lines: string[] = []
  const server = typeof values.db === 'string' ? values.db : undefined
  const perCustomer = Number(values['purchases-per-customer'])
  for (const customers of sizes) lines.push(...(await benchSize(String(values.data), customers, customers * perCustomer, server)))
  return lines
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await importBench()) console.log(line)
}
