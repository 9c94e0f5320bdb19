/**
 * Label figures for docs/benchmarks.md ("Labels"): `crm labels` run as a user runs it, on
 * 3,000 generated customers with complete addresses in nine countries and four scripts
 * (seeded, deterministic; database in bench/data/, never in git).
 *
 *   npm run bench -- labels [--labels N]
 *   (or: npm run build && node dist/bench/labelsBench.js [--labels N])
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { openDb } from '../src/db/openDb.js'
import type { NewCustomer } from '../src/db/schema.js'
import { missingAddressFields, personName } from '../src/labels/formatAddress.js'
import { generateCustomers } from './generateData.js'

const ROOT = resolve(import.meta.dirname, '../..')
const DATA = join(ROOT, 'bench/data')
const BIN = join(ROOT, 'bin/crm.js')

/** The first `count` generated customers whose address is complete, consent to post forced unknown. */
function completeCustomers(count: number): NewCustomer[] {
  const out: NewCustomer[] = []
  for (const g of generateCustomers(6, count * 3)) {
    const c = g.csv
    const country = c.country.trim().toUpperCase() || 'US'
    const row: NewCustomer = {
      first_name: c.first_name.trim() || null,
      last_name: c.last_name.trim() || null,
      company: c.company.trim() || null,
      street: c.street.trim() || null,
      city: c.city.trim() || null,
      region: c.region.trim() || null,
      postal_code: c.postal_code.trim() || null,
      country: /^[A-Z]{2}$/.test(country) ? country : 'US',
      consent_mail: 'unknown',
    }
    const name = personName(row.first_name ?? null, row.last_name ?? null, row.country!)
    const r = { name, company: row.company, street: row.street ?? null, city: row.city ?? null, region: row.region, postalCode: row.postal_code ?? null, country: row.country ?? null }
    if (missingAddressFields(r, 'US').length) continue
    out.push(row)
    if (out.length === count) break
  }
  return out
}

// CPU time as well as wall time: on a shared machine the wall clock mostly measures the neighbours.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null

function run(args: string[]): { seconds: number; cpu: number | null; stderr: string } {
  const t0 = process.hrtime.bigint()
  const [cmd, cmdArgs] = TIME ? [TIME, ['-f', 'cpu %U %S', process.execPath, BIN, ...args]] : [process.execPath, [BIN, ...args]]
  const r = spawnSync(cmd, cmdArgs, { encoding: 'utf8', env: { ...process.env, CRM_CONFIG: join(DATA, 'labels-config.json') } })
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  if (r.status !== 0) throw new Error(`crm ${args.join(' ')} failed: ${r.stderr}`)
  const m = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr)
  return { seconds, cpu: m ? Number(m[1]) + Number(m[2]) : null, stderr: r.stderr.replace(/cpu [\d.]+ [\d.]+\s*$/, '') }
}

export async function labelsBench(argv: string[]): Promise<string[]> {
  const i = argv.indexOf('--labels')
  const count = i >= 0 ? Number(argv[i + 1]) : 3000
  mkdirSync(DATA, { recursive: true })
  const db = join(DATA, 'labels.db')
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true })
  const crm = await openDb(db)
  const rows = completeCustomers(count)
  await crm.db.transaction().execute(async (trx) => {
    for (const r of rows) await trx.insertInto('customers').values(r).execute()
  })
  await crm.close()
  const lines = [`${rows.length} customers with complete addresses (seed 6; US, DE, FR, ES, PL, RU, VN, IR, GB)`]
  const best = (args: string[]) => {
    const times = [run(args), run(args), run(args)]
    const cpu = times.every((t) => t.cpu !== null) ? Math.min(...times.map((t) => t.cpu!)) : null
    const seconds = Math.min(...times.map((t) => t.seconds))
    return { seconds, stderr: times[0]!.stderr, text: `${seconds.toFixed(2)} s wall${cpu === null ? '' : `, ${cpu.toFixed(2)} s CPU`} (best of 3, whole process)` }
  }
  const pdf = join(DATA, 'labels.pdf')
  for (const template of ['5160', 'L7160']) {
    const r = best(['labels', '--db', db, '--template', template, '-o', pdf])
    const size = statSync(pdf).size
    lines.push(`\`crm labels --template ${template} -o labels.pdf\`: ${r.text}, ${(size / 1024).toFixed(0)} KiB; ${r.stderr.trim().split('\n')[0]!.replace(DATA + '/', '')}`)
  }
  const text = best(['labels', '--db', db, '--format', 'text', '-o', join(DATA, 'labels.txt')])
  lines.push(`\`crm labels --format text\`: ${text.text}`)
  const csv = best(['labels', '--db', db, '--format', 'csv', '-o', join(DATA, 'labels.csv')])
  lines.push(`\`crm labels --format csv\`: ${csv.text}`)
  const help = best(['--version'])
  lines.push(`for scale, \`crm --version\` (Node start + CLI load): ${help.text}`)
  return lines
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const line of await labelsBench(process.argv.slice(2))) console.log(`- ${line}`)
}
