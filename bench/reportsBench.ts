/**
 * `crm report …` on 1,000,000 customers and 10,000,000 purchases: each report run as a
 * user runs it (bin/crm.js, whole process, output to a pipe), goal under 10 s each, plus
 * `crm query --rfm-segment` and a plain filter beside it.
 *
 *   npm run build && node dist/bench/reportsBench.js [--customers 1000000] [--purchases 10000000]
 *     [--db bench/data/reports-1000000-10000000.db] [--runs 1] [--rebuild] [--before DIR]
 *
 * `--before DIR` (another build's root: its bin/ and dist/, node_modules linked) runs each
 * command by that build too, the two taking turns (which goes first alternates), so both see
 * the same page cache and neighbours: on this VM whole runs moved by 2–3 s a report.
 *
 * The database is built once with buildQueryDb() (the query bench's builder: generator →
 * one prepared insert per table, indexes rebuilt after) and reused.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { buildQueryDb } from './buildQueryDb.js'

const ROOT = resolve(import.meta.dirname, '../..')
const END = '2026-11-20T00:00:00.000Z'

const CASES: string[][] = [
  ['report', 'sources'],
  ['report', 'sales', '--by', 'month'],
  ['report', 'sales', '--by', 'day', '--days', '365'],
  ['report', 'sales', '--by', 'week', '--category', 'Coffee'],
  ['report', 'rfm'],
  ['report', 'rfm', '--customers', '--rfm-segment', 'champions'],
  ['report', 'basket', '--top', '10'],
  ['report', 'basket', '--per', 'order', '--top', '10', '--min-support', '0.001'],
  ['report', 'basket', '--bought', 'Espresso machine', '--top', '10'],
  ['report', 'birthdays', '--birthday-within', '14'],
  ['report', 'lapsed', '--inactive-days', '180'],
  ['query', '--rfm-segment', "can't lose", '--count'],
  ['query', '--gender', 'f', '--spent-gt', '500', '--days', '30', '--count'],
]

interface Args {
  customers: number
  purchases: number
  db: string
  runs: number
  rebuild: boolean
  seed: number
  before: string | null
}

function parseArgs(argv: string[]): Args {
  const a: Args = { customers: 1_000_000, purchases: 10_000_000, db: '', runs: 1, rebuild: false, seed: 1, before: null }
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!.replace(/^--/, '')
    if (key === 'rebuild') a.rebuild = true
    else if (key === 'db') a.db = argv[++i]!
    else if (key === 'before') a.before = resolve(argv[++i]!)
    else if (key === 'customers' || key === 'purchases' || key === 'runs' || key === 'seed') a[key] = Number(argv[++i])
    else throw new Error(`unknown argument ${argv[i]}`)
  }
  a.db ||= join(ROOT, 'bench/data', `reports-${a.customers}-${a.purchases}.db`)
  a.db = resolve(a.db)
  return a
}

interface Run {
  seconds: number
  /** user + system CPU seconds of the process: what wall time would be on an idle machine. */
  cpu: number | null
  peakMb: number | null
  lines: number
}

/** One whole `crm` process under GNU time (wall time, peak memory), stdout counted, not kept. */
function crm(root: string, db: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const cmd = [join(root, 'bin/crm.js'), '--db', db, ...args, ...(args.includes('--count') ? [] : ['--format', 'csv'])]
  const hasTime = existsSync('/usr/bin/time')
  const t = performance.now()
  const r = hasTime
    ? spawnSync('/usr/bin/time', ['-f', 'PEAK_KB=%M CPU=%U+%S', process.execPath, ...cmd], { env, encoding: 'utf8', maxBuffer: 1 << 30 })
    : spawnSync(process.execPath, cmd, { env, encoding: 'utf8', maxBuffer: 1 << 30 })
  const seconds = (performance.now() - t) / 1000
  if (r.status !== 0) throw new Error(`crm ${args.join(' ')}: ${r.stderr}`)
  const peak = /PEAK_KB=(\d+)/.exec(r.stderr ?? '')
  const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '')
  return { seconds, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : null, peakMb: peak ? Math.round(Number(peak[1]) / 1024) : null, lines: r.stdout === '' ? 0 : r.stdout.split('\n').length - 1 }
}

const shellWord = (x: string) => (/^[\w.,:%-]+$/.test(x) ? x : `'${x.replace(/'/g, `'\\''`)}'`)

export async function reportsBench(argv: string[] = process.argv.slice(2)): Promise<string[]> {
  const a = parseArgs(argv)
  const log = (m: string) => process.stderr.write(m + '\n')
  if (a.rebuild || !existsSync(a.db)) {
    mkdirSync(dirname(a.db), { recursive: true })
    log(`building ${a.db}: ${a.customers} customers, ${a.purchases} purchases (seed ${a.seed})`)
    await buildQueryDb({ path: a.db, customers: a.customers, purchases: a.purchases, seed: a.seed, end: END, currency: 'USD', log })
  }
  const home = mkdtempSync(join(tmpdir(), 'crm-bench-'))
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), CRM_NOW: END, TZ: 'UTC' }
  const out: string[] = [
    `${a.customers.toLocaleString('en')} customers, ${a.purchases.toLocaleString('en')} purchases (seed ${a.seed}); CRM_NOW=${END}, time zone UTC, base currency USD; whole process, CSV to a pipe; best of ${a.runs}.`,
    '',
    `Machine load (1-minute average) at the start: ${loadavg()[0]!.toFixed(1)} on ${availableParallelism()} cores.`,
    '',
    ...(a.before
      ? ['| command | rows out | wall | CPU (user + sys) | peak memory | before: wall | before: CPU | before: peak | wall ÷ before |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|']
      : ['| command | rows out | wall | CPU (user + sys) | peak memory | under 10 s (wall / CPU) |', '|---|---:|---:|---:|---:|---|']),
  ]
  const fastest = (runs: Run[]) => runs.reduce((x, y) => (y.seconds < x.seconds ? y : x))
  try {
    for (const args of CASES) {
      const runs: Run[] = []
      const before: Run[] = []
      for (let i = 0; i < a.runs; i++) {
        if (a.before && i % 2 === 0) before.push(crm(a.before, a.db, args, env))
        runs.push(crm(ROOT, a.db, args, env))
        if (a.before && i % 2 === 1) before.push(crm(a.before, a.db, args, env))
      }
      const best = fastest(runs)
      // CSV: a header line; --count: the count itself.
      const rows = args.includes('--count') ? 'count' : String(Math.max(0, best.lines - 1))
      const cpu = best.cpu === null ? '?' : `${best.cpu.toFixed(1)} s`
      const under = `${best.seconds < 10 ? 'yes' : 'no'} / ${best.cpu === null ? '?' : best.cpu < 10 ? 'yes' : 'no'}`
      const head = `| \`crm ${args.map(shellWord).join(' ')}\` | ${rows} | ${best.seconds.toFixed(1)} s | ${cpu} | ${best.peakMb ?? '?'} MB`
      const old = a.before ? fastest(before) : null
      const line = old
        ? `${head} | ${old.seconds.toFixed(1)} s | ${old.cpu === null ? '?' : `${old.cpu.toFixed(1)} s`} | ${old.peakMb ?? '?'} MB | ${(best.seconds / old.seconds).toFixed(2)}× |`
        : `${head} | ${under} |`
      log(line)
      out.push(line)
    }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await reportsBench()) console.log(line)
}
