/**
 * `crm nps` speed: the score, the monthly trend, a filtered score, tags and the detractor
 * list over N customers and M answers spread over two years (seeded, deterministic).
 *
 *   node dist/bench/npsBench.js [--customers 200000] [--answers 500000] [--data bench/data]
 *
 * The database is written once with one prepared statement per table in one transaction
 * and reused; each command then runs as a user runs it (the built binary, output to a pipe).
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { openSqliteDb } from '../src/db/openDb.js'
import { fold } from '../src/text/fold.js'
import { chance, int, pick, seededRandom, SOURCES, TAGS } from './fakeData.js'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/crm.js')
const NOW = '2026-11-23T12:00:00Z'
const CITIES = ['Berlin', 'München', 'Munchen', 'Hamburg', 'San Francisco', 'Los Angeles', 'Boston', 'Москва', 'Hà Nội', 'Paris']
const REGIONS = ['CA', 'NY', 'MA', 'TX', 'BY', 'BE', 'HH', '']

async function buildDb(path: string, customers: number, answers: number): Promise<void> {
  const rng = seededRandom(5)
  const crm = await openSqliteDb(path)
  const { sqlite } = crm
  const insertCustomer = sqlite.prepare(
    `insert into customers (id, first_name, email, email_norm, phone, gender, city, city_key, region, region_key, source, source_key)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const insertTag = sqlite.prepare('insert into tags (id, name) values (?, ?)')
  const tagCustomer = sqlite.prepare('insert into customer_tags (customer_id, tag_id) values (?, ?)')
  const insertAnswer = sqlite.prepare('insert into nps_answers (customer_id, score, answered_at, campaign, comment) values (?, ?, ?, ?, ?)')
  const insertInteraction = sqlite.prepare(`insert into interactions (customer_id, occurred_at, channel, kind) values (?, ?, 'phone', 'call')`)
  const insertPurchase = sqlite.prepare(`insert into purchases (customer_id, purchased_at, product, amount_cents, currency) values (?, ?, 'Mug', ?, 'USD')`)
  const end = Date.parse(NOW)
  const span = 730 * 86_400_000
  sqlite.transaction(() => {
    TAGS.forEach((t, i) => insertTag.run(i + 1, t))
    for (let id = 1; id <= customers; id++) {
      const city = pick(rng, CITIES)
      const region = pick(rng, REGIONS) || null
      const source = pick(rng, SOURCES) || null
      insertCustomer.run(id, `C${id}`, `c${id}@example.com`, `c${id}@example.com`, `+1 415 555 ${String(id % 10000).padStart(4, '0')}`,
        pick(rng, ['f', 'm', 'x', 'f', 'm']), city, fold(city), region, region ? fold(region) : null, source, source ? fold(source) : null)
      if (chance(rng, 0.3)) tagCustomer.run(id, int(rng, 1, TAGS.length))
      if (chance(rng, 0.5)) insertPurchase.run(id, new Date(end - rng() * span).toISOString(), int(rng, 500, 50000))
    }
    for (let i = 0; i < answers; i++) {
      // A slow improvement over the two years: later answers lean higher.
      const t = end - rng() * span
      const lift = (t - (end - span)) / span
      const score = Math.min(10, Math.max(0, Math.round(6 + 3 * lift + (rng() - 0.5) * 8)))
      const customer = chance(rng, 0.03) ? null : int(rng, 1, customers)
      const at = new Date(t).toISOString()
      insertAnswer.run(customer, score, at, pick(rng, ['spring', 'summer', 'autumn', 'winter']), score <= 6 ? 'slow' : null)
      if (customer !== null && score <= 6 && chance(rng, 0.4)) insertInteraction.run(customer, new Date(t + 86_400_000).toISOString())
    }
  })()
  await crm.close()
}

/** Runs crm; wall time, and CPU time (user + system) from GNU time when installed. */
function timed(args: string[]): { seconds: number; cpu: number | null; stdout: string } {
  const hasTime = existsSync('/usr/bin/time')
  const cmd = hasTime ? '/usr/bin/time' : process.execPath
  const full = hasTime ? ['-f', 'CPU=%U+%S', process.execPath, BIN, ...args] : [BIN, ...args]
  const started = performance.now()
  const r = spawnSync(cmd, full, { env: { ...process.env, CRM_NOW: NOW }, encoding: 'utf8', maxBuffer: 1 << 28 })
  const seconds = (performance.now() - started) / 1000
  if (r.status !== 0) throw new Error(`crm ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  const m = /CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '')
  return { seconds, cpu: m ? Number(m[1]) + Number(m[2]) : null, stdout: r.stdout }
}

export async function npsBench(argv: string[] = process.argv.slice(2)): Promise<string[]> {
  const { values } = parseArgs({
    args: argv,
    options: { customers: { type: 'string', default: '200000' }, answers: { type: 'string', default: '500000' }, data: { type: 'string', default: join(ROOT, 'bench/data') } },
    allowPositionals: true,
  })
  const customers = Number(values.customers)
  const answers = Number(values.answers)
  mkdirSync(values.data!, { recursive: true })
  const db = join(values.data!, `nps-c${customers}-a${answers}.db`)
  if (!existsSync(db)) {
    const started = performance.now()
    for (const suffix of ['', '-wal', '-shm']) rmSync(db + suffix, { force: true })
    await buildDb(db, customers, answers)
    console.error(`built ${db} in ${((performance.now() - started) / 1000).toFixed(1)} s`)
  }
  const baseline = Math.min(...[0, 1, 2].map(() => timed(['--db', db, 'config', 'path']).seconds))
  const lines = [`${customers.toLocaleString('en-US')} customers, ${answers.toLocaleString('en-US')} answers over two years (3% anonymous)`]
  const cases: string[][] = [
    ['nps'],
    ['nps', '--all-answers'],
    ['nps', '--answered-days', '30'],
    ['nps', '--by', 'month'],
    ['nps', '--by', 'month', '--compare', 'previous'],
    ['nps', '--gender', 'f', '--state', 'CA'],
    ['nps', '--by', 'tag'],
    ['nps', '--by', 'city', '--compare', 'rest'],
    ['nps', 'detractors', '--answered-days', '30'],
  ]
  timed(['--db', db, 'nps', '--quiet']) // warm the page cache once
  for (const args of cases) {
    const runs = [0, 1, 2].map(() => timed(['--db', db, ...args, '--quiet', '--format', 'csv']))
    const best = Math.min(...runs.map((r) => r.seconds))
    const cpu = runs.every((r) => r.cpu !== null) ? `, CPU ${Math.min(...runs.map((r) => r.cpu!)).toFixed(2)} s` : ''
    const rows = runs[0]!.stdout.trim().split('\n').length - 1
    lines.push(`crm ${args.join(' ')}: ${best.toFixed(2)} s wall${cpu} (best of 3, ${rows} row${rows === 1 ? '' : 's'})`)
  }
  const node = Math.min(...[0, 1, 2].map(() => {
    const s = performance.now()
    spawnSync(process.execPath, ['-e', '0'])
    return (performance.now() - s) / 1000
  }))
  lines.push(`for scale: node -e 0 ${node.toFixed(2)} s; crm config path ${baseline.toFixed(2)} s`)
  return lines
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await npsBench()) console.log(line)
}
