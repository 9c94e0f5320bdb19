/**
 * One-customer commands and exports on a big database: `crm export` of every customer
 * (CSV, vCard), a filtered campaign export, and `show`/`edit`/`log`/`consent`/`forget`
 * latency, each a whole process as a user runs it, beside `crm --version` (Node start).
 *
 *   node dist/bench/recordsBench.js [--customers 1000000] [--purchases 10000000] [--data bench/data]
 *
 * Data comes from generateData.js (seeded), generated once and reused; the database is
 * imported once into DATA/work-records and reused.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/crm.js')

interface Run {
  seconds: number
  peakMb: number | null
  stdout: string
  stderr: string
}

function timed(args: string[], env: NodeJS.ProcessEnv, ok: number[] = [0]): Run {
  const hasTime = existsSync('/usr/bin/time')
  const cmd = hasTime ? '/usr/bin/time' : process.execPath
  const full = hasTime ? ['-f', 'PEAK_KB=%M', process.execPath, BIN, ...args] : [BIN, ...args]
  const started = performance.now()
  const r = spawnSync(cmd, full, { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 })
  const seconds = (performance.now() - started) / 1000
  if (!ok.includes(r.status ?? -1)) throw new Error(`crm ${args.join(' ')} failed (${r.status}): ${r.stderr}`)
  const peak = /PEAK_KB=(\d+)/.exec(r.stderr ?? '')
  return { seconds, peakMb: peak ? Math.round(Number(peak[1]) / 1024) : null, stdout: r.stdout, stderr: r.stderr }
}

/** The count `crm export` reports on stderr (a CSV row may span lines). */
const exported = (r: Run) => Number(/exported (\d+)/.exec(r.stderr)?.[1] ?? NaN).toLocaleString('en-US')

/** Median wall time of `n` runs. */
function median(n: number, args: string[], env: NodeJS.ProcessEnv, ok?: number[]): number {
  const times = Array.from({ length: n }, () => timed(args, env, ok).seconds).sort((a, b) => a - b)
  return times[Math.floor(n / 2)]!
}

export function recordsBench(argv: string[] = process.argv.slice(2)): string[] {
  const { values } = parseArgs({
    args: argv,
    options: { customers: { type: 'string', default: '1000000' }, purchases: { type: 'string', default: '10000000' }, data: { type: 'string', default: join(ROOT, 'bench/data') } },
    allowPositionals: true,
  })
  const customers = Number(values.customers)
  const purchases = Number(values.purchases)
  const sub = join(values.data!, `c${customers}-p${purchases}`)
  const files = { customers: join(sub, 'customers.csv'), purchases: join(sub, 'purchases.csv') }
  if (!existsSync(files.customers) || !existsSync(files.purchases)) {
    mkdirSync(sub, { recursive: true })
    console.error(`generating ${customers} customers and ${purchases} purchases in ${sub} …`)
    spawnSync(process.execPath, [join(ROOT, 'dist/bench/generateData.js'), '--customers', String(customers), '--purchases', String(purchases), '--out', sub, '--seed', '1'], { stdio: 'inherit' })
  }
  const work = join(values.data!, 'work-records')
  mkdirSync(work, { recursive: true })
  const db = join(work, `records-c${customers}-p${purchases}.db`)
  const env = { CRM_CONFIG: join(work, 'config.json'), XDG_DATA_HOME: work, CRM_DB: db }
  if (!existsSync(db)) {
    console.error(`importing into ${db} …`)
    timed(['import', files.customers, '--quiet'], env)
    timed(['import', files.purchases, '--quiet'], env)
  }
  const lines: string[] = [`database: ${customers.toLocaleString('en-US')} customers, ${purchases.toLocaleString('en-US')} purchases, ${(statSync(db).size / 1024 / 1024).toFixed(0)} MB`]
  const n = customers.toLocaleString('en-US')

  const csv = timed(['export', '--raw', '--include-opted-out'], env)
  lines.push(`crm export --raw --include-opted-out (${n} customers, ${(csv.stdout.length / 1024 / 1024).toFixed(0)} MB CSV): ${csv.seconds.toFixed(1)} s, peak ${csv.peakMb} MB, ${exported(csv)} rows`)
  const safe = timed(['export'], env)
  lines.push(`crm export (refusals left out, formula cells neutralised): ${safe.seconds.toFixed(1)} s, peak ${safe.peakMb} MB, ${exported(safe)} rows`)
  const vcf = timed(['export', '--format', 'vcard', '--include-opted-out'], env)
  lines.push(`crm export --format vcard --include-opted-out: ${vcf.seconds.toFixed(1)} s, peak ${vcf.peakMb} MB, ${(vcf.stdout.length / 1024 / 1024).toFixed(0)} MB`)
  const campaign = timed(['export', '--consent', 'email', '--gender', 'f', '--spent-gt', '500', '--since', '2026-10-21', '--until', '2026-11-19'], env)
  lines.push(`crm export --consent email --gender f --spent-gt 500 --since 2026-10-21 --until 2026-11-19: ${campaign.seconds.toFixed(2)} s, ${exported(campaign)} rows`)

  const version = median(5, ['--version'], env)
  lines.push(`crm --version (Node start, the floor for every command): ${version.toFixed(2)} s (median of 5)`)
  const mid = `C${String(Math.floor(customers / 2)).padStart(7, '0')}`
  lines.push(`crm show ${mid} (external id; profile with purchase summary): ${median(5, ['show', mid], env).toFixed(2)} s (median of 5)`)
  const email = JSON.parse(timed(['show', mid, '--format', 'json'], env).stdout).fields.email as string | null
  if (email) lines.push(`crm show EMAIL: ${median(5, ['show', email], env).toFixed(2)} s (median of 5)`)
  lines.push(`crm edit ${mid} --city …: ${median(5, ['edit', mid, '--city', 'Bench City'], env).toFixed(2)} s (median of 5)`)
  lines.push(`crm log ${mid} --channel visit --force: ${median(5, ['log', mid, '--channel', 'visit', 'bench', '--force'], env).toFixed(2)} s (median of 5)`)
  lines.push(`crm consent ${mid} --sms …: ${median(5, ['consent', mid, '--sms', 'no'], env).toFixed(2)} s (median of 5)`)
  const victims = [1, 2, 3].map((k) => `C${String(Math.floor(customers / 3) + k).padStart(7, '0')}`)
  const forget = victims.map((v) => {
    const t = timed(['forget', v, '--reason', 'bench', '--yes'], env, [0, 1])
    return t.seconds
  })
  lines.push(`crm forget (3 customers, one at a time): ${forget.map((s) => s.toFixed(2)).join(' / ')} s`)
  return lines
}

if (import.meta.url === `file://${process.argv[1]}`) for (const l of recordsBench()) console.log(l)
