/**
 * Start-up: `crm --version`, `crm --help`, `crm query --count`, `crm query --city Berlin --count`
 * and `crm query --limit 5` on an empty database,
 * each run as a whole process N times, interleaved with `node -e 0` (the floor) so a busy
 * machine slows both alike. Optionally a second binary (`--before DIR`, another checkout's
 * root with its dist/ built) runs in the same rounds, for before/after in one run.
 *
 *   npm run bench -- startup [--runs 30]   or:   npm run build && node dist/bench/startupBench.js [--runs 30] [--before /path/to/old/checkout]
 *     [--search-db /tmp/q.db]   (also times `crm query --search nguyen --count` on that database)
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')

interface Args {
  runs: number
  before?: string
  searchDb?: string
}

function parseArgs(argv: string[]): Args {
  const a: Args = { runs: 30 }
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]
    if (key === '--runs') a.runs = Number(argv[++i])
    else if (key === '--before') a.before = resolve(argv[++i]!)
    else if (key === '--search-db') a.searchDb = resolve(argv[++i]!)
    else throw new Error(`unknown argument ${key}`)
  }
  return a
}

interface Sample {
  ms: number
  cpu: number
}

/** One whole process: wall time here, CPU time (user + system) from /usr/bin/time. */
function run(args: string[], env: NodeJS.ProcessEnv): Sample {
  const t = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, ...args], { env, encoding: 'utf8' })
  const ms = performance.now() - t
  if (r.status !== 0) throw new Error(`node ${args.join(' ')}: exit ${r.status}: ${r.stderr}`)
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr)
  return { ms, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN }
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!

export function startupBench(argv: string[]): string[] {
  const a = parseArgs(argv)
  const home = mkdtempSync(join(tmpdir(), 'crm-startup-'))
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), TZ: 'UTC' }
  const builds: Array<[string, string]> = [['after', join(ROOT, 'bin/crm.js')]]
  if (a.before) builds.unshift(['before', join(a.before, 'bin/crm.js')])
  const cases: Array<[string, string[]]> = [['node -e 0', ['-e', '0']]]
  for (const [label, bin] of builds) {
    // Each build's own empty database, created (and migrated) once, before the timed runs.
    const empty = join(home, `empty-${label}.db`)
    run([bin, '--db', empty, 'query', '--count'], env)
    cases.push([`${label}: crm --version`, [bin, '--version']])
    cases.push([`${label}: crm --help`, [bin, '--help']])
    cases.push([`${label}: crm query --count (empty database)`, [bin, '--db', empty, 'query', '--count']])
    // The general path (commander, Kysely, zod): a filter, and rows out.
    cases.push([`${label}: crm query --city Berlin --count`, [bin, '--db', empty, 'query', '--city', 'Berlin', '--count']])
    cases.push([`${label}: crm query --limit 5`, [bin, '--db', empty, 'query', '--limit', '5']])
    // Only this build: a database with the search index (migration 0008) refuses an older crm.
    if (a.searchDb && label === 'after') cases.push([`${label}: crm query --search nguyen --count (${a.searchDb})`, [bin, '--db', a.searchDb, 'query', '--search', 'nguyen', '--count']])
  }
  const samples = new Map<string, Sample[]>(cases.map(([name]) => [name, []]))
  const load = loadavg()
  try {
    for (const [, args] of cases) run(args, env) // warm the page cache
    for (let i = 0; i < a.runs; i++) for (const [name, args] of cases) samples.get(name)!.push(run(args, env))
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
  const floor = samples.get('node -e 0')!
  const floorMs = median(floor.map((s) => s.ms))
  const floorCpu = median(floor.map((s) => s.cpu))
  const out = [
    `Start-up, ${a.runs} interleaved rounds, median; load average ${load.map((x) => x.toFixed(2)).join(' ')} at start, ${loadavg().map((x) => x.toFixed(2)).join(' ')} at end, ${cpus().length} cores.`,
    '',
    '| command | wall | × node -e 0 | CPU | × node -e 0 |',
    '|---|---:|---:|---:|---:|',
  ]
  for (const [name] of cases) {
    const s = samples.get(name)!
    const ms = median(s.map((x) => x.ms))
    const cpu = median(s.map((x) => x.cpu))
    out.push(`| \`${name}\` | ${ms.toFixed(1)} ms | ${(ms / floorMs).toFixed(2)}× | ${cpu.toFixed(0)} ms | ${(cpu / floorCpu).toFixed(2)}× |`)
  }
  return out
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of startupBench(process.argv.slice(2))) console.log(line)
}
