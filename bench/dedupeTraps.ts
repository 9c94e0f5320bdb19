/**
 * `npm run bench -- dedupeTraps` (or `node dist/bench/dedupeTraps.js [--size N] [--seed S]`):
 * pair precision, recall and F1 of `crm dedupe` on people who look alike and are not the
 * same person (bench/generateTraps.ts), per trap kind and overall, plus recall per kind of
 * change of the true duplicates among them.
 *
 * The list is imported with `crm import --skip-invalid` and deduplicated with
 * `crm dedupe --format json` at the default threshold, as a user runs it. CRM_BIN runs
 * another build (the code before a change) for before/after.
 *
 * Scoring: a predicted pair inside one scenario counts for that scenario's kind; a pair
 * across scenarios is wrong and counts against both kinds ("stranger" for filler rows).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { mustSucceed, runCrmTimed } from './dedupeRun.js'
import { CHANGE_KINDS, TRAP_KINDS, writeTrapsCsv } from './generateTraps.js'

interface Tally {
  truePairs: number
  predicted: number
  correct: number
}

const fmt = (x: number) => x.toFixed(4)
const tally = (): Tally => ({ truePairs: 0, predicted: 0, correct: 0 })

function row(name: string, t: Tally): string {
  const precision = t.predicted ? t.correct / t.predicted : 1
  const recall = t.truePairs ? t.correct / t.truePairs : 1
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
  return `| ${name} | ${t.truePairs} | ${t.predicted} | ${t.predicted - t.correct} | ${fmt(precision)} | ${fmt(recall)} | ${fmt(f1)} |`
}

/** Runs the trap benchmark; returns markdown lines. */
export async function dedupeTrapsBench(argv: string[]): Promise<string[]> {
  const flag = (name: string) => {
    const i = argv.indexOf(name)
    return i >= 0 ? argv[i + 1] : undefined
  }
  const size = Number(flag('--size') ?? 5000)
  const seed = Number(flag('--seed') ?? 17)
  const home = mkdtempSync(join(tmpdir(), 'crm-traps-'))
  try {
    const csv = join(home, 'traps.csv')
    const db = join(home, 'crm.db')
    await writeTrapsCsv(csv, size, seed)
    const imp = mustSucceed(await runCrmTimed(home, ['--db', db, '-q', 'import', csv, '--skip-invalid', '--rejects', join(home, 'rejects.csv')]), 'import')
    const dd = mustSucceed(await runCrmTimed(home, ['--db', db, 'dedupe', '--format', 'json']), 'dedupe')
    const groups = (JSON.parse(dd.stdout) as Array<{ ids: number[] }>).map((g) => g.ids)
    const sqlite = new BetterSqlite3(db, { readonly: true })
    const ext = new Map(sqlite.prepare('select id, external_id from customers').raw().all() as Array<[number, string]>)
    sqlite.close()

    const parts = (id: number) => ext.get(id)!.split('.')
    const person = (id: number) => parts(id).slice(0, 3).join('.')
    const byKind = new Map<string, Tally>([...TRAP_KINDS, 'stranger'].map((k) => [k, tally()]))
    const byChange = new Map<string, Tally>(CHANGE_KINDS.map((k) => [k, tally()]))
    const all = tally()

    // True pairs: every two records of one person (the original and its duplicate).
    const records = new Map<string, number[]>()
    for (const id of ext.keys()) records.set(person(id), [...(records.get(person(id)) ?? []), id])
    for (const ids of records.values()) {
      if (ids.length < 2) continue
      const pairs = (ids.length * (ids.length - 1)) / 2
      byKind.get(parts(ids[0]!)[0]!)!.truePairs += pairs
      all.truePairs += pairs
      for (const id of ids) {
        const change = parts(id)[4]
        if (change) byChange.get(change)!.truePairs++
      }
    }
    const found = new Set<string>()
    for (const g of groups) {
      for (let x = 0; x < g.length; x++)
        for (let y = x + 1; y < g.length; y++) {
          const a = g[x]!
          const b = g[y]!
          const right = person(a) === person(b)
          all.predicted++
          if (right) all.correct++
          const kinds = new Set([parts(a)[0]!, parts(b)[0]!])
          for (const k of kinds) {
            const t = byKind.get(k)!
            t.predicted++
            if (right) t.correct++
          }
          if (right) {
            found.add(person(a))
            const change = parts(a)[4] ?? parts(b)[4]
            if (change) {
              const t = byChange.get(change)!
              t.predicted++
              t.correct++
            }
          } else found.add(`wrong ${ext.get(a)} ${ext.get(b)}`)
        }
    }
    if (process.env.TRAPS_SHOW) {
      for (const w of [...found].filter((f) => f.startsWith('wrong'))) console.error(w)
      for (const [p, ids] of records) if (ids.length > 1 && !found.has(p)) console.error('missed', ids.map((i) => ext.get(i)).join(' '))
    }
    const header = ['| kind | true pairs | proposed pairs | wrong pairs | precision | recall | F1 |', '|---|---|---|---|---|---|---|']
    return [
      `${ext.size} customers (seed ${seed}) imported in ${imp.seconds.toFixed(2)} s; crm dedupe: ${dd.seconds.toFixed(2)} s wall, ${dd.cpuSeconds.toFixed(2)} s CPU, peak ${dd.peakMiB} MiB, ${groups.length} groups`,
      '',
      'By trap kind (a wrong pair counts against the kind of each record in it):',
      '',
      ...header,
      row('all', all),
      ...TRAP_KINDS.map((k) => row(k, byKind.get(k)!)),
      row('stranger', byKind.get('stranger')!),
      '',
      'Recall by change of the true duplicate:',
      '',
      ...header,
      ...CHANGE_KINDS.map((k) => row(k, byChange.get(k)!)),
    ]
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const line of await dedupeTrapsBench(process.argv.slice(2))) console.log(line)
}
