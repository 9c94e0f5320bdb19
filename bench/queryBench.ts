/**
 * `crm query` on 1,000,000 customers and 10,000,000 purchases: each filter through the
 * real code path (median of --runs in one process, then bin/crm.js as a whole process)
 * beside the best hand-written SQL for it in the sqlite3 shell, with EXPLAIN QUERY PLAN.
 *
 *   npm run build && node dist/bench/queryBench.js [--customers 1000000] [--purchases 10000000]
 *     [--db bench/data/query-1m.db] [--runs 5] [--whole-runs 3] [--rebuild] [--only TEXT]
 *
 * --only runs the filters whose flags contain TEXT (e.g. --only bought).
 * The database is built once (about two minutes) and reused; --rebuild makes it again.
 *
 * `--custom-fields` runs only customFieldsBench() below (issue 19): a --where on a number
 * custom field against the same filter on a built-in column, on its own database.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { Command } from 'commander'
import { addFilterOptions, filterSpecFromOptions, type FilterOptions } from '../src/cli/filterOptions.js'
import { openSqliteDb } from '../src/db/openDb.js'
import { purchaseWindow, type FilterContext } from '../src/query/customerFilter.js'
import type { FilterSpec } from '../src/query/filterSpec.js'
import { queryCustomers } from '../src/query/queryCustomers.js'
import { buildQueryDb } from './buildQueryDb.js'

const ROOT = resolve(import.meta.dirname, '../..')
const END = '2026-11-20T00:00:00.000Z'
const ctx: FilterContext = { now: new Date(END), config: { currency: 'USD', timezone: 'UTC' } }

interface Case {
  name: string
  args: string[]
  /** The best SQL a person would write for the same rows. */
  hand: (spec: FilterSpec) => string
}

const win = (spec: FilterSpec) => purchaseWindow(spec, ctx)

const CASES: Case[] = [
  {
    name: 'women who spent over 500 in 30 days (the mission query)',
    args: ['--gender', 'f', '--spent-gt', '500', '--days', '30'],
    hand: (s) => `select c.*, p.spent from (select customer_id, sum(amount_cents) as spent from purchases indexed by purchases_window
  where purchased_at >= '${win(s).from}' and purchased_at < '${win(s).to}' and currency = 'USD'
  group by customer_id having spent > 50000) p join customers c on c.id = p.customer_id
where c.gender = 'f' and c.forgotten_at is null`,
  },
  {
    name: 'in München, may get email',
    args: ['--city', 'münchen', '--consent', 'email'],
    hand: () => `select * from customers where city_key = 'munchen' and consent_email = 'granted' and forgotten_at is null`,
  },
  {
    name: 'birthday within 7 days, post allowed',
    args: ['--birthday-within', '7', '--consent', 'mail'],
    hand: () => `select * from customers where substr(birth_date, -5) between '11-20' and '11-27'
  and consent_mail <> 'refused' and forgotten_at is null`,
  },
  {
    name: 'lapsed VIPs: tag vip, nothing for 180 days',
    args: ['--tag', 'vip', '--inactive-days', '180'],
    hand: (s) => `select c.* from tags t join customer_tags ct on ct.tag_id = t.id join customers c on c.id = ct.customer_id
where t.name = 'vip' and c.forgotten_at is null
  and exists (select 1 from purchases p where p.customer_id = c.id and p.amount_cents >= 0)
  and not exists (select 1 from purchases p where p.customer_id = c.id and p.amount_cents >= 0
    and p.purchased_at >= '${new Date(Date.parse(END.slice(0, 10)) - (s.inactiveDays ?? 0) * 86_400_000).toISOString()}')`,
  },
  {
    name: 'search "nguyen"',
    args: ['--search', 'nguyen'],
    // Since migration 0008 --search also looks in street, city, postal code and notes, through
    // the trigram index: the best SQL for those rows asks the index (LIKE on search_key alone
    // was the hand SQL before, for the narrower search of that time).
    hand: () => `select * from customers where id in (select rowid from customer_search where customer_search match '"nguyen"')
  and forgotten_at is null`,
  },
  {
    name: 'bought an espresso machine in 90 days, in Germany',
    args: ['--bought', 'Espresso machine', '--days', '90', '--country', 'DE'],
    hand: (s) => `select * from customers where country = 'DE' and forgotten_at is null and id in (
  select customer_id from purchases indexed by purchases_window
  where purchased_at >= '${win(s).from}' and purchased_at < '${win(s).to}' and product = 'Espresso machine' and amount_cents >= 0)`,
  },
]

function parseArgs(argv: string[]) {
  const a = { customers: 1_000_000, purchases: 10_000_000, db: '', runs: 5, wholeRuns: 3, rebuild: false, seed: 1, customFields: false, only: '' }
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i]!.replace(/^--/, '').replace(/-(\w)/g, (_, ch: string) => ch.toUpperCase())
    if (key === 'rebuild') a.rebuild = true
    else if (key === 'custom-fields') a.customFields = true
    else if (key === 'db') a.db = argv[++i]!
    else if (key === 'only') a.only = argv[++i]!
    else if (key in a) (a as Record<string, unknown>)[key] = Number(argv[++i])
    else throw new Error(`unknown argument ${argv[i]}`)
  }
  a.db ||= join(ROOT, 'bench/data', `query-${a.customers}-${a.purchases}.db`)
  return a
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!
const secs = (ms: number) => (ms / 1000).toFixed(3)

function specOf(args: string[]): FilterSpec {
  const cmd = addFilterOptions(new Command('bench').exitOverride())
  cmd.parse(args, { from: 'user' })
  return filterSpecFromOptions(cmd.opts<FilterOptions>(), ctx.config)
}

function sqliteShell(db: string, script: string): { stdout: string; ms: number } {
  const t = performance.now()
  const r = spawnSync('sqlite3', ['-batch', db], { input: script, encoding: 'utf8', maxBuffer: 1 << 30 })
  if (r.status !== 0) throw new Error(`sqlite3: ${r.stderr}`)
  return { stdout: r.stdout, ms: performance.now() - t }
}

interface Timing {
  /** Wall-clock milliseconds. */
  ms: number
  /** User + system CPU milliseconds: steadier than wall time on a shared machine. */
  cpu: number
}

/** Runs a whole process under /usr/bin/time for its CPU time; returns its stdout line count. */
function wholeProcess(cmd: string, args: string[], env: NodeJS.ProcessEnv): Timing & { lines: number } {
  const t = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', cmd, ...args], { env, encoding: 'utf8', maxBuffer: 1 << 30 })
  const ms = performance.now() - t
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`)
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr)
  const cpu = m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN
  return { ms, cpu, lines: r.stdout === '' ? 0 : r.stdout.split('\n').length - 1 }
}

/**
 * The least any Node program pays for the same rows: load better-sqlite3, run the hand SQL
 * (reading through mmap, as crm does), write each row as a JSON line. No crm code at all.
 */
function writeFloorScript(dir: string): string {
  const path = join(dir, 'floor.cjs')
  const driver = createRequire(import.meta.url).resolve('better-sqlite3')
  writeFileSync(path, `const Database = require(${JSON.stringify(driver)})
const db = new Database(process.argv[2], { readonly: true })
db.pragma('mmap_size = 2147418112')
let lines = []
for (const row of db.prepare(process.argv[3]).iterate()) {
  lines.push(JSON.stringify(row))
  if (lines.length === 1000) { process.stdout.write(lines.join('\\n') + '\\n'); lines = [] }
}
if (lines.length) process.stdout.write(lines.join('\\n') + '\\n')
`)
  return path
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2))
  if (a.customFields) return customFieldsBench(a)
  const log = (m: string) => process.stderr.write(m + '\n')
  if (a.rebuild || !existsSync(a.db)) {
    mkdirSync(dirname(a.db), { recursive: true })
    log(`building ${a.db}: ${a.customers} customers, ${a.purchases} purchases (seed ${a.seed})`)
    await buildQueryDb({ path: a.db, customers: a.customers, purchases: a.purchases, seed: a.seed, end: END, currency: 'USD', log })
  }
  const home = mkdtempSync(join(tmpdir(), 'crm-bench-'))
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), CRM_NOW: END, TZ: 'UTC' }
  const starts = Array.from({ length: 5 }, () => wholeProcess(process.execPath, ['-e', '0'], env))
  const nodeStart = median(starts.map((x) => x.ms))
  const nodeCpu = median(starts.map((x) => x.cpu))
  const floorScript = writeFloorScript(home)
  const crm = await openSqliteDb(a.db, { readonly: true })
  const out: string[] = []
  const say = (line = '') => {
    out.push(line)
    process.stdout.write(line + '\n')
  }
  say(`${a.customers.toLocaleString('en')} customers, ${a.purchases.toLocaleString('en')} purchases; CRM_NOW=${END}, time zone UTC, base currency USD.`)
  say(`Node start-up (node -e 0, median of 5): ${secs(nodeStart)} s wall, ${secs(nodeCpu)} s CPU. In-process and sqlite3 .timer: median of ${a.runs} warm runs; whole process: median of ${a.wholeRuns}, crm and the bare floor taking turns.`)
  say(`Load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores.`)
  say()
  say('| filter | rows | crm in-process | crm whole process | hand SQL (sqlite3 shell) | hand SQL + Node start | ratio | under 1 s | bare Node floor | floor ratio |')
  say('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|')
  const cpuLines: string[] = []
  const plans: string[] = []
  try {
    for (const c of CASES.filter((c) => c.args.join(' ').includes(a.only))) {
      const spec = specOf(c.args)
      const query = queryCustomers(crm.db, spec, ctx)
      const run = async () => {
        const t = performance.now()
        const c0 = process.cpuUsage()
        let n = 0
        for await (const _row of query.stream()) n++
        const c = process.cpuUsage(c0)
        return { ms: performance.now() - t, cpu: (c.user + c.system) / 1000, n }
      }
      const warm = await run()
      const runs: Timing[] = []
      for (let i = 0; i < a.runs; i++) runs.push(await run())
      const hand = c.hand(spec)
      // crm and the floor take turns, so both see the same page cache and the same neighbours.
      const cli: Array<ReturnType<typeof wholeProcess>> = []
      const floor: Array<ReturnType<typeof wholeProcess>> = []
      for (let i = 0; i < a.wholeRuns; i++) {
        cli.push(wholeProcess(process.execPath, [join(ROOT, 'bin/crm.js'), '--db', a.db, 'query', ...c.args, '--format', 'ndjson'], env))
        floor.push(wholeProcess(process.execPath, [floorScript, a.db, hand], env))
      }
      const count = Number(sqliteShell(a.db, `select count(*) from (${hand});\n`).stdout.trim())
      const timed = sqliteShell(a.db, `.timer on\n.output /dev/null\n${`${hand};\n`.repeat(a.runs + 1)}`)
      const handRuns = [...timed.stdout.matchAll(/Run Time: real ([\d.]+) user ([\d.]+) sys ([\d.]+)/g)]
        .map((m) => ({ ms: Number(m[1]) * 1000, cpu: (Number(m[2]) + Number(m[3])) * 1000 }))
        .slice(1)
      const handMs = median(handRuns.map((x) => x.ms))
      const handCpu = median(handRuns.map((x) => x.cpu))
      const cliMs = median(cli.map((x) => x.ms))
      const cliCpu = median(cli.map((x) => x.cpu))
      const floorCpu = median(floor.map((x) => x.cpu))
      const ratio = cliMs / (handMs + nodeStart)
      const floorMs = median(floor.map((x) => x.ms))
      if (count !== warm.n || cli[0]!.lines !== warm.n || floor[0]!.lines !== warm.n) {
        throw new Error(`${c.name}: crm found ${warm.n} rows (CLI ${cli[0]!.lines}), the hand SQL ${count} (bare Node ${floor[0]!.lines})`)
      }
      const label = `\`crm query ${c.args.map((x) => (x.includes(' ') ? `"${x}"` : x)).join(' ')}\``
      say(`| ${label} | ${warm.n.toLocaleString('en')} | ${secs(median(runs.map((x) => x.ms)))} s | ${secs(cliMs)} s | ${secs(handMs)} s | ${secs(handMs + nodeStart)} s | ${ratio.toFixed(2)}× | ${cliMs < 1000 ? 'yes' : 'no'} | ${secs(floorMs)} s | ${(floorMs / (handMs + nodeStart)).toFixed(2)}× |`)
      cpuLines.push(`| ${label} | ${secs(median(runs.map((x) => x.cpu)))} s | ${secs(cliCpu)} s | ${secs(handCpu)} s | ${secs(handCpu + nodeCpu)} s | ${(cliCpu / (handCpu + nodeCpu)).toFixed(2)}× | ${cliCpu < 1000 ? 'yes' : 'no'} | ${secs(floorCpu)} s | ${(cliCpu / floorCpu).toFixed(2)}× |`)
      const compiled = query.compile()
      const plan = crm.sqlite.prepare(`explain query plan ${compiled.sql}`).all(...(compiled.parameters as unknown[])) as Array<{ detail: string }>
      const handPlan = sqliteShell(a.db, `explain query plan ${hand};\n`).stdout.trim()
      plans.push(`### ${c.name}\n\ncrm's query (better-sqlite3):\n\n\`\`\`\n${plan.map((p) => p.detail).join('\n')}\n\`\`\`\n\nHand SQL (sqlite3 shell):\n\n\`\`\`sql\n${hand}\n\`\`\`\n\n\`\`\`\n${handPlan}\n\`\`\``)
    }
  } finally {
    await crm.close()
    rmSync(home, { recursive: true, force: true })
  }
  say()
  say('ratio = crm whole process ÷ (hand SQL + Node start-up); goal ≤ 1.2 and under 1 s.')
  say(`bare Node floor = a Node script with no crm code: better-sqlite3 runs the hand SQL and writes one JSON line a row (whole process, median of ${a.wholeRuns}); floor ratio = that ÷ (hand SQL + Node start-up).`)
  say()
  say('The same runs in CPU time (user + system), which a busy machine inflates less than wall time,')
  say('and which does not count waiting for the disk (on this VM the page cache does not keep the whole file):')
  say()
  say('| filter | crm in-process | crm whole process | hand SQL (sqlite3 shell) | hand SQL + Node start | ratio | under 1 s | bare Node floor | crm ÷ floor |')
  say('|---|---:|---:|---:|---:|---:|---|---:|---:|')
  for (const l of cpuLines) say(l)
  say()
  for (const p of plans) say(p + '\n')
  writeFileSync(join(dirname(a.db), 'query-bench.md'), out.join('\n') + '\n')
}

/**
 * Issue 19: `--where` on a number custom field against the same filter on a built-in
 * column. The field `age_years` holds each customer's age on CRM_NOW, computed from
 * birth_date, so `--where "age_years>=65"` selects exactly the rows of `--age-min 65`
 * (birth_date range on customers). Its own database (customers only, no purchases), built
 * once: `node dist/bench/queryBench.js --custom-fields [--customers 1000000] [--runs 5]`.
 * Whole processes, the two commands interleaved, wall and CPU medians; both print the
 * same columns (every query row carries the custom fields).
 */
async function customFieldsBench(a: ReturnType<typeof parseArgs>): Promise<void> {
  const log = (m: string) => process.stderr.write(m + '\n')
  const path = join(ROOT, 'bench/data', `fields-${a.customers}.db`)
  if (a.rebuild || !existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true })
    log(`building ${path}: ${a.customers} customers (seed ${a.seed}) and an age_years number field`)
    await buildQueryDb({ path, customers: a.customers, purchases: 0, seed: a.seed, end: END, currency: 'USD', log })
    const crm = await openSqliteDb(path)
    try {
      const { addField } = await import('../src/fields/index.js')
      const { field } = await addField(crm.db, { name: 'age_years', type: 'number', choices: null, label: 'Age', at: END, currency: 'USD' })
      // Age on END's date: the year difference, less one before the birthday (year-less dates have none).
      crm.sqlite.prepare(`insert into customer_field_values (customer_id, field_id, value_num, created_at, updated_at)
        select id, ?, cast(substr(?, 1, 4) as integer) - cast(substr(birth_date, 1, 4) as integer) - (substr(birth_date, 6, 5) > substr(?, 6, 5)), ?, ?
        from customers where birth_date >= '0' order by id`).run(field.id, END, END, END, END)
      crm.sqlite.exec('analyze')
    } finally {
      await crm.close()
    }
  }
  const home = mkdtempSync(join(tmpdir(), 'crm-bench-'))
  const env = { PATH: process.env.PATH, HOME: home, XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data'), CRM_NOW: END, TZ: 'UTC' }
  const pairs: Array<[string[], string[]]> = [
    [['--age-min', '30', '--age-max', '30'], ['--where', 'age_years=30']],
    [['--age-min', '65'], ['--where', 'age_years>=65']],
    [['--age-min', '30', '--age-max', '30', '--count'], ['--where', 'age_years=30', '--count']],
    [['--age-min', '65', '--count'], ['--where', 'age_years>=65', '--count']],
  ]
  const say = (line = '') => process.stdout.write(line + '\n')
  say(`${a.customers.toLocaleString('en')} customers; CRM_NOW=${END}; whole process \`bin/crm.js query … --format ndjson\`, the two commands interleaved, median of ${a.runs}.`)
  say(`Load average at start: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${cpus().length} cores.`)
  say()
  say('| built-in filter | custom field filter | rows | built-in wall | --where wall | wall ratio | built-in CPU | --where CPU | CPU ratio |')
  say('|---|---|---:|---:|---:|---:|---:|---:|---:|')
  try {
    for (const [builtIn, custom] of pairs) {
      const run = (args: string[]) => {
        const format = args.includes('--count') ? [] : ['--format', 'ndjson']
        return wholeProcess(process.execPath, [join(ROOT, 'bin/crm.js'), '--db', path, 'query', ...args, ...format], env)
      }
      run(builtIn)
      run(custom)
      const b: Array<ReturnType<typeof run>> = []
      const c: Array<ReturnType<typeof run>> = []
      for (let i = 0; i < a.runs; i++) {
        b.push(run(builtIn))
        c.push(run(custom))
      }
      if (b[0]!.lines !== c[0]!.lines) throw new Error(`${custom.join(' ')}: ${c[0]!.lines} lines, the built-in filter ${b[0]!.lines}`)
      const bm = median(b.map((x) => x.ms))
      const cm = median(c.map((x) => x.ms))
      const bc = median(b.map((x) => x.cpu))
      const cc = median(c.map((x) => x.cpu))
      const quote = (args: string[]) => `\`${args.map((x) => (/[\s<>=]/.test(x) ? `"${x}"` : x)).join(' ')}\``
      const rows = builtIn.includes('--count') ? 'count' : b[0]!.lines.toLocaleString('en')
      say(`| ${quote(builtIn)} | ${quote(custom)} | ${rows} | ${secs(bm)} s | ${secs(cm)} s | ${(cm / bm).toFixed(2)}× | ${secs(bc)} s | ${secs(cc)} s | ${(cc / bc).toFixed(2)}× |`)
    }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
  say()
  say(`Load average at end: ${loadavg().map((x) => x.toFixed(1)).join(' ')}. Goal: --where within 1.2× of the built-in filter.`)
}

main().catch((err: Error) => {
  process.stderr.write(`queryBench: ${err.stack ?? err.message}\n`)
  process.exitCode = 1
})
