/**
 * Import speed and memory: `crm import` of N generated customers and M purchases, beside
 * the sqlite3 shell's `.import` of the same customers file in the same run.
 *
 *   node dist/bench/importBench.js [--sizes 100000,1000000] [--data bench/data] [--db postgres://…]
 *     [--purchases-per-customer 10]
 *   node dist/bench/importBench.js --sizes 1000000 --floor 3    (issue 18's goal: crm against its floor)
 *
 * With `--floor N` only the customers import runs, N rounds, each beside bench/importFloor.ts
 * on the same file four ways (its indexes live or built after the rows, × the search index left
 * empty or filled after the rows), with CPU time and the load average, and crm's ratio to each
 * floor. `--before DIR` adds, in each round, the import by an older build (DIR/bin/crm.js, e.g.
 * a copy of main's bin/, dist/ and package.json with node_modules linked), run first in odd
 * rounds and second in even ones:
 *
 *   node dist/bench/importBench.js --sizes 200000 --floor 2 --before /tmp/import18d/before --data /tmp/import18d/data
 *
 * With `--db postgres://…` the same imports (and the mission query) also run on PostgreSQL,
 * in a new database made through that server (and dropped afterwards), beside SQLite.
 *
 * Data comes from generateData.js (seeded), generated once and reused.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/crm.js')

interface Run {
  seconds: number
  peakMb: number | null
  /** User + system CPU seconds (both threads of an import), when GNU time is there. */
  cpu: number | null
  stderr: string
}

/** Runs a command under GNU time for its wall time and peak resident memory. */
function timed(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const hasTime = existsSync('/usr/bin/time')
  const started = performance.now()
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'PEAK_KB=%M CPU=%U+%S', cmd, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 })
    : spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 26 })
  const seconds = (performance.now() - started) / 1000
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  const peak = /PEAK_KB=(\d+)/.exec(r.stderr ?? '')
  const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '')
  return { seconds, peakMb: peak ? Math.round(Number(peak[1]) / 1024) : null, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : null, stderr: r.stderr }
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

/**
 * bench/importFloor.ts on the same file, in the same run: what csv-parse, libphonenumber-js and
 * better-sqlite3 alone cost, spread perfectly over the cores (issue 18: crm within 1.3× of it).
 */
function importFloor(csv: string, indexesAfter: boolean, searchIndex: 'bulk' | 'none'): { seconds: number; text: string } {
  const args = ['--file', csv, '--search-index', searchIndex, ...(indexesAfter ? ['--indexes-after'] : [])]
  const r = spawnSync(process.execPath, [join(ROOT, 'dist/bench/importFloor.js'), ...args], { encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`importFloor failed: ${r.stderr}`)
  const best = /([\d.]+) s wall at best/.exec(r.stdout)
  if (!best) throw new Error(`importFloor printed no floor: ${r.stdout}`)
  return { seconds: Number(best[1]), text: r.stdout.trim().split('\n').slice(1).join('; ') }
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0]

/** crm import of the customers file beside the import floor, interleaved, `rounds` times. */
function floorBench(csv: string, rounds: number, env: NodeJS.ProcessEnv, work: string, before?: string): string[] {
  const lines: string[] = []
  const n = (x: number) => x.toFixed(1)
  const db = join(work, 'floor-run.db')
  const importWith = (bin: string, label: string) => {
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true })
    const load0 = load()
    const c = timed(process.execPath, [bin, '--db', db, 'import', csv, '--quiet'], env)
    lines.push(`  ${label} (load ${load0}→${load()}): ${n(c.seconds)} s wall, ${c.cpu === null ? '?' : n(c.cpu)} s CPU, peak ${c.peakMb} MB`)
    return c
  }
  for (let i = 0; i < rounds; i++) {
    lines.push(`round ${i + 1}:`)
    const runs = [() => importWith(BIN, 'crm import'), ...(before ? [() => importWith(join(resolve(before), 'bin/crm.js'), 'crm import, before')] : [])]
    if (i % 2 === 1) runs.reverse()
    const c = runs.map((run) => run())[i % 2 === 1 && before ? 1 : 0]!
    for (const [after, search] of [[false, 'none'], [true, 'none'], [false, 'bulk'], [true, 'bulk']] as const) {
      const load0 = load()
      const f = importFloor(csv, after, search)
      const what = `floor, indexes ${after ? 'built after the rows' : 'live'}, search index ${search === 'bulk' ? 'filled after the rows' : 'left empty'}`
      lines.push(`  ${what} (load ${load0}→${load()}): ${n(f.seconds)} s at best (crm ${(c.seconds / f.seconds).toFixed(2)}×): ${f.text}`)
    }
  }
  return lines
}

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
    options: {
      sizes: { type: 'string', default: '100000,1000000' }, data: { type: 'string', default: join(ROOT, 'bench/data') }, db: { type: 'string' },
      'purchases-per-customer': { type: 'string', default: '10' }, floor: { type: 'string' }, before: { type: 'string' },
    },
    allowPositionals: true,
    strict: false,
  })
  const sizes = String(values.sizes).split(',').map(Number)
  const lines: string[] = []
  const server = typeof values.db === 'string' ? values.db : undefined
  const perCustomer = Number(values['purchases-per-customer'])
  if (typeof values.floor === 'string') {
    // Only the customers import against its floor, interleaved, as many rounds as asked.
    const env = { CRM_CONFIG: join(String(values.data), 'work', 'config.json'), XDG_DATA_HOME: join(String(values.data), 'work') }
    mkdirSync(join(String(values.data), 'work'), { recursive: true })
    for (const customers of sizes) {
      const files = ensureData(String(values.data), customers, 0)
      const before = typeof values.before === 'string' ? values.before : undefined
      lines.push(...floorBench(files.customers, Number(values.floor), env, join(String(values.data), 'work'), before))
    }
    return lines
  }
  for (const customers of sizes) lines.push(...(await benchSize(String(values.data), customers, customers * perCustomer, server)))
  return lines
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await importBench()) console.log(line)
}
