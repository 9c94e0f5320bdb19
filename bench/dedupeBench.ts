/**
 * `npm run bench:dedupe`: pair precision, recall, F1 and time of `crm dedupe`.
 *
 * 1. FEBRL data sets 1–3 (../shared/benchmarks/febrl, or FEBRL_DIR), each imported through
 *    `crm import --skip-invalid` and deduplicated with the default threshold, without and
 *    with the soc_sec_id column (`--compare-extra soc_sec_id`). rec_id becomes the external
 *    id, which matching never reads; it is the truth.
 * 2. The project's own generator (bench/generateCustomers.ts) at 1,000,000 customers with
 *    about 10% duplicates of known kinds, each kind scored on its own.
 *
 * Flags: --only febrl|generated, --size N (generated customers, default 1000000).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { DUPLICATE_KINDS, writeCustomersCsv } from './generateCustomers.js'
import { scorePairs } from './pairScore.js'
import { runCrmTimed as crm, mustSucceed } from './dedupeRun.js'

const ROOT = resolve(import.meta.dirname, '../..')
const FEBRL_DIR = process.env.FEBRL_DIR ?? resolve(ROOT, '../shared/benchmarks/febrl')
const args = process.argv.slice(2)
const flag = (name: string) => {
  const i = args.indexOf(name)
  return i >= 0 ? args[i + 1] : undefined
}
const only = flag('--only')
const size = Number(flag('--size') ?? 1_000_000)

const fmt = (x: number) => x.toFixed(4)

/** FEBRL with the street number joined to the street line, as a shop's export would have it. */
function febrlCsv(source: string, target: string, withSsn: boolean): string[] {
  const lines = readFileSync(source, 'utf8').trim().split('\n').slice(1)
  const ids: string[] = []
  const header = ['external_id', 'first_name', 'last_name', 'street', 'address2', 'city', 'postal_code', 'region', 'birth_date', ...(withSsn ? ['soc_sec_id'] : [])]
  const rows = lines.map((line) => {
    const f = line.split(',').map((x) => x.trim())
    ids.push(f[0]!)
    const street = [f[3], f[4]].filter(Boolean).join(' ')
    return [f[0], f[1], f[2], street, f[5], f[6], f[7], f[8], f[9], ...(withSsn ? [f[10]] : [])].map((v) => v ?? '').join(',')
  })
  writeFileSync(target, [header.join(','), ...rows].join('\n') + '\n')
  return ids
}

async function febrl(): Promise<string[]> {
  const report: string[] = ['| data set | soc_sec_id | records | imported | true pairs | precision | recall | F1 | F1 (imported only) | import s | dedupe s (CPU s) | peak MiB |', '|---|---|---|---|---|---|---|---|---|---|---|---|']
  for (const name of ['dataset1', 'dataset2', 'dataset3']) {
    for (const withSsn of [false, true]) {
      const home = mkdtempSync(join(tmpdir(), 'crm-bench-'))
      try {
        const csv = join(home, `${name}.csv`)
        const db = join(home, 'crm.db')
        const allIds = febrlCsv(join(FEBRL_DIR, `${name}.csv`), csv, withSsn)
        const imp = mustSucceed(await crm(home, ['--db', db, '-q', 'import', csv, '--skip-invalid', '--rejects', join(home, 'rejects.csv'), '--map', 'address2=street2']), 'import')
        const dd = mustSucceed(await crm(home, ['--db', db, 'dedupe', '--format', 'json', ...(withSsn ? ['--compare-extra', 'soc_sec_id'] : [])]), 'dedupe')
        const groups = (JSON.parse(dd.stdout) as Array<{ ids: number[] }>).map((g) => g.ids)
        const sqlite = new BetterSqlite3(db, { readonly: true })
        const ext = new Map((sqlite.prepare('select id, external_id from customers').raw().all() as Array<[number, string]>).map(([id, e]) => [id, e]))
        sqlite.close()
        const entity = (rec: string) => rec.replace(/-(org|dup-\d+)$/, '')
        // Truth over the whole file: a record the importer rejected is a pair missed.
        const recIndex = new Map(allIds.map((r, i) => [r, i + 1_000_000]))
        const byRec = (id: number) => entity(id >= 1_000_000 ? allIds[id - 1_000_000]! : ext.get(id)!)
        const groupsAsFile = groups.map((g) => g.map((id) => recIndex.get(ext.get(id)!)!))
        const all = scorePairs(groupsAsFile, [...recIndex.values()], byRec)
        const imported = scorePairs(groups, [...ext.keys()], (id) => entity(ext.get(id)!))
        report.push(
          `| ${name} | ${withSsn ? 'with' : 'without'} | ${allIds.length} | ${ext.size} | ${all.truePairs} | ${fmt(all.precision)} | ${fmt(all.recall)} | ${fmt(all.f1)} | ${fmt(imported.f1)} | ${imp.seconds.toFixed(2)} | ${dd.seconds.toFixed(2)} (${dd.cpuSeconds.toFixed(2)}) | ${dd.peakMiB} |`,
        )
        console.error(report[report.length - 1])
      } finally {
        rmSync(home, { recursive: true, force: true })
      }
    }
  }
  return report
}

async function generated(): Promise<string[]> {
  const dataDir = join(ROOT, 'bench/data')
  mkdirSync(dataDir, { recursive: true })
  const csv = join(dataDir, `customers-${size}.csv`)
  if (!existsSync(csv)) await writeCustomersCsv(csv, size, 0.1, 42)
  const home = mkdtempSync(join(tmpdir(), 'crm-bench-'))
  try {
    const db = join(home, 'crm.db')
    const imp = mustSucceed(await crm(home, ['--db', db, '-q', 'import', csv, '--skip-invalid', '--rejects', join(home, 'rejects.csv')]), 'import')
    const dd = mustSucceed(await crm(home, ['--db', db, 'dedupe', '--format', 'json']), 'dedupe')
    const groups = (JSON.parse(dd.stdout) as Array<{ ids: number[] }>).map((g) => g.ids)
    const sqlite = new BetterSqlite3(db, { readonly: true })
    const ext = new Map((sqlite.prepare('select id, external_id from customers').raw().all() as Array<[number, string]>).map(([id, e]) => [id, e]))
    sqlite.close()
    const entity = (id: number) => ext.get(id)!.replace(/-(org|dup-.*)$/, '')
    const kindOf = (id: number) => /-dup-(.*)$/.exec(ext.get(id)!)?.[1] ?? null
    const overall = scorePairs(groups, [...ext.keys()], entity)
    const lines = [
      `${ext.size} customers imported in ${imp.seconds.toFixed(1)} s; crm dedupe: ${dd.seconds.toFixed(1)} s wall, ${dd.cpuSeconds.toFixed(1)} s CPU, peak ${dd.peakMiB} MiB resident, ${groups.length} groups`,
      '',
      '| kind | true pairs | found | false pairs | precision | recall | F1 |',
      '|---|---|---|---|---|---|---|',
      `| all | ${overall.truePairs} | ${overall.correctPairs} | ${overall.predictedPairs - overall.correctPairs} | ${fmt(overall.precision)} | ${fmt(overall.recall)} | ${fmt(overall.f1)} |`,
    ]
    // Per kind: the pairs original–duplicate of that kind; a false pair counts against
    // every kind of duplicate it touches (or "none" between two originals).
    for (const kind of DUPLICATE_KINDS) {
      let truePairs = 0
      for (const id of ext.keys()) if (kindOf(id) === kind) truePairs++
      let found = 0
      let falsePairs = 0
      for (const g of groups) {
        for (let x = 0; x < g.length; x++)
          for (let y = x + 1; y < g.length; y++) {
            const a = g[x]!
            const b = g[y]!
            const ka = kindOf(a)
            const kb = kindOf(b)
            if (ka !== kind && kb !== kind) continue
            if (entity(a) !== entity(b)) falsePairs++
            else if ((ka === kind && kb === null) || (kb === kind && ka === null)) found++
          }
      }
      const precision = found + falsePairs ? found / (found + falsePairs) : 1
      const recall = truePairs ? found / truePairs : 1
      const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
      lines.push(`| ${kind} | ${truePairs} | ${found} | ${falsePairs} | ${fmt(precision)} | ${fmt(recall)} | ${fmt(f1)} |`)
    }
    for (const l of lines) console.error(l)
    return lines
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}

const out: string[] = []
if (only !== 'generated') out.push('### FEBRL', '', ...(await febrl()), '')
if (only !== 'febrl') out.push(`### Generated, ${size.toLocaleString('en')} customers`, '', ...(await generated()), '')
process.stdout.write(out.join('\n') + '\n')
