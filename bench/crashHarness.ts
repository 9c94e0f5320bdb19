/**
 * Kills crm commands with SIGKILL at seeded random moments and checks what is left:
 * `PRAGMA integrity_check` is ok and the database holds all or none of the interrupted
 * operation. Shared by test/reliability/crash.test.ts (a few runs) and bench/stress.ts
 * (`npm run stress`, hundreds).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'

const ROOT = resolve(import.meta.dirname, import.meta.dirname.includes('/dist/') ? '../..' : '..')
const BIN = join(ROOT, 'bin/crm.js')

export type Scenario = 'import' | 'dedupe' | 'backup' | 'restore'
export const SCENARIOS: Scenario[] = ['import', 'dedupe', 'backup', 'restore']

export interface RunOutcome {
  scenario: Scenario
  run: number
  delayMs: number
  /** The process was still running when SIGKILL arrived. */
  killed: boolean
  /** What the database held afterwards: 'none' of the operation, 'all' of it. */
  held: 'none' | 'all'
}

export interface ScenarioReport {
  scenario: Scenario
  runs: number
  killed: number
  completedBeforeKill: number
  heldNone: number
  heldAll: number
  /** How long one uninterrupted run took here; kill moments are drawn from [0, 1.1 × this]. */
  calibrationMs: number
  failures: string[]
}

import { seededRandom } from '../src/util/seededRandom.js'
export { seededRandom }

interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  stderr: string
  killed: boolean
  ms: number
}

function crm(home: string, args: string[], killAfterMs?: number): Promise<Exit> {
  return new Promise((resolveExit, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [BIN, '--db', join(home, 'crm.db'), ...args], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), TZ: 'UTC' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    const err: Buffer[] = []
    child.stderr.on('data', (d: Buffer) => err.push(d))
    let killed = false
    const timer =
      killAfterMs === undefined
        ? undefined
        : setTimeout(() => {
            killed = child.exitCode === null && child.kill('SIGKILL')
          }, killAfterMs)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer)
      resolveExit({ code, signal, stderr: Buffer.concat(err).toString('utf8'), killed: killed && signal === 'SIGKILL', ms: performance.now() - started })
    })
  })
}

async function must(home: string, args: string[]): Promise<void> {
  const r = await crm(home, args)
  if (r.code !== 0) throw new Error(`crm ${args.join(' ')} failed (${r.code ?? r.signal}): ${r.stderr.trim()}`)
}

/** Opens the database as crm would after a crash (WAL recovery included). */
function inspect<T>(home: string, fn: (db: BetterSqlite3.Database) => T): T {
  const db = new BetterSqlite3(join(home, 'crm.db'))
  try {
    return fn(db)
  } finally {
    db.close()
  }
}

function integrity(home: string): string {
  return inspect(home, (db) => (db.pragma('integrity_check') as Array<{ integrity_check: string }>).map((r) => r.integrity_check).join('; '))
}

function count(home: string, table = 'customers'): number {
  return inspect(home, (db) => db.prepare(`select count(*) from ${table}`).pluck().get() as number)
}

let fileSerial = 0
const FIRST = ['Zoë', 'Ana', 'Björn', 'Chidi', 'Dmitri', 'Eun-ji', 'Farah', 'Gwen', 'Hiroshi', 'Ines', 'José', 'Kwame', 'Leilani', 'Mateus', 'Nguyễn', 'Olga', 'Priya', 'Quentin', 'Rosa', 'Siobhán']
const SYLLABLES = ['ka', 'lo', 'mi', 'ren', 'sto', 'vi', 'dar', 'bel', 'quo', 'nix', 'tam', 'pry', 'gul', 'hes', 'jor', 'wen', 'zak']
/** `n` new people with unique external ids; a quote, a comma and non-Latin letters on the way. */
function peopleFile(home: string, n: number): string {
  const tag = `${process.pid}_${fileSerial++}`
  const rows = ['external_id,first_name,last_name,email,phone,city,notes']
  for (let i = 0; i < n; i++) {
    const first = FIRST[(fileSerial * 7 + i) % FIRST.length]
    // Distinct surnames (base 17 digits of i, salted per file): no accidental duplicates.
    const last = `${SYLLABLES[i % 17]}${SYLLABLES[Math.floor(i / 17) % 17]}${SYLLABLES[(Math.floor(i / 289) + fileSerial) % 17]}${SYLLABLES[fileSerial % 17]}`
    const phone = `+44 20 7${String((fileSerial * 7919 + i * 104729) % 1000).padStart(3, '0')} ${String(i % 10000).padStart(4, '0')}`
    rows.push(`P${tag}_${i},${first},"${last}, Jr",p${tag}_${i}@example.com,${phone},Łódź,"said ""hi"" ${i}"`)
  }
  const path = join(home, `people-${tag}.csv`)
  writeFileSync(path, rows.join('\n') + '\n')
  return path
}

/** `pairs` people entered twice (same email and phone, Robert / Rob): obvious duplicates. */
function duplicatesFile(home: string, pairs: number): string {
  const tag = `${process.pid}_${fileSerial++}`
  const rows = ['external_id,first_name,last_name,email,phone,city']
  for (let i = 0; i < pairs; i++) {
    const phone = `+1 212 5${String(fileSerial % 100).padStart(2, '0')} ${String(i).padStart(4, '0')}`
    const last = `${SYLLABLES[(i * 5 + fileSerial) % 17]}${SYLLABLES[(i * 11 + 3) % 17]}${SYLLABLES[(fileSerial * 3 + i) % 17]}quist`
    rows.push(`D${tag}_${i}a,Robert,${last},dup${tag}_${i}@example.org,${phone},Springfield`)
    rows.push(`D${tag}_${i}b,Rob,${last},dup${tag}_${i}@example.org,${phone},Springfield`)
  }
  const path = join(home, `dups-${tag}.csv`)
  writeFileSync(path, rows.join('\n') + '\n')
  return path
}

/** Customers whose email appears more than once: pairs still waiting to be merged. */
function pendingPairs(home: string): number {
  return inspect(
    home,
    (db) => db.prepare(`select count(*) from (select email_norm from customers where email like 'dup%' group by email_norm having count(*) > 1)`).pluck().get() as number,
  )
}

export interface HarnessOptions {
  seed: number
  runs: number
  /** Rows per killed import. */
  importRows?: number
  /** Distinct customers in the base database (the matcher learns weights from them). */
  baseRows?: number
  /** Duplicate pairs added before each killed dedupe --merge. */
  pairs?: number
  log?: (line: string) => void
}

/** Runs one scenario `runs` times on one database, killing at seeded random moments. */
export async function runScenario(scenario: Scenario, options: HarnessOptions): Promise<ScenarioReport> {
  const random = seededRandom(options.seed ^ (SCENARIOS.indexOf(scenario) * 0x9e3779b1))
  const home = mkdtempSync(join(tmpdir(), `crm-crash-${scenario}-`))
  const importRows = options.importRows ?? 2000
  const pairs = options.pairs ?? 20
  const report: ScenarioReport = { scenario, runs: 0, killed: 0, completedBeforeKill: 0, heldNone: 0, heldAll: 0, calibrationMs: 0, failures: [] }
  try {
    await must(home, ['import', peopleFile(home, options.baseRows ?? 1000)])
    let backupId = ''
    let backupCount = 0
    if (scenario === 'restore') {
      await must(home, ['backup', '--note', 'restore target'])
      backupId = lastBackupId(home)
      backupCount = count(home)
    }
    /** Prepares one run; returns the operation and how to tell "all" from "none". */
    const prepare = async (): Promise<{ args: string[]; judge: () => 'none' | 'all' | string }> => {
      const before = count(home)
      switch (scenario) {
        case 'import': {
          const file = peopleFile(home, importRows)
          return {
            args: ['import', file],
            judge: () => {
              const after = count(home)
              return after === before ? 'none' : after === before + importRows ? 'all' : `customers ${after}: neither ${before} nor ${before + importRows}`
            },
          }
        }
        case 'dedupe': {
          await must(home, ['import', duplicatesFile(home, pairs)])
          const pending = pendingPairs(home)
          const total = count(home)
          const merges = count(home, 'merges')
          const lastMerge = inspect(home, (db) => (db.prepare('select coalesce(max(id), 0) from merges').pluck().get() as number))
          /** Customers the new merges removed, by their own record. */
          const removed = () =>
            inspect(home, (db) => db.prepare('select coalesce(sum(json_array_length(merged_ids)), 0) from merges where id > ?').pluck().get(lastMerge) as number)
          return {
            args: ['dedupe', '--merge', '--yes'],
            judge: () => {
              const after = count(home)
              const m = count(home, 'merges')
              if (after === total && m === merges && pendingPairs(home) === pending) return 'none'
              // A group may hold several pairs (the matcher decides); "all" is every pair merged and
              // exactly the customers the merges record gone.
              if (m > merges && pendingPairs(home) === 0 && total - after === removed() && removed() >= pending) return 'all'
              return `customers ${after} (before ${total}, ${pending} pairs), merges ${m} (before ${merges}), pairs left ${pendingPairs(home)}`
            },
          }
        }
        case 'backup': {
          const listed = backupIds(home).length
          return {
            args: ['backup'],
            judge: () => {
              const after = count(home)
              if (after !== before) return `customers ${after}, was ${before}`
              const ids = backupIds(home).length
              return ids === listed ? 'none' : ids === listed + 1 ? 'all' : `${ids} backups, was ${listed}`
            },
          }
        }
        case 'restore': {
          // Move the live database away from the backup's state, then restore it back.
          await must(home, ['import', peopleFile(home, 50)])
          const live = count(home)
          return {
            args: ['restore', backupId, '--yes'],
            judge: () => {
              const after = count(home)
              return after === live ? 'none' : after === backupCount ? 'all' : `customers ${after}: neither ${live} (live) nor ${backupCount} (backup)`
            },
          }
        }
      }
    }
    // Calibration: one uninterrupted run sets the window kill moments are drawn from.
    {
      const op = await prepare()
      const r = await crm(home, op.args)
      if (r.code !== 0) throw new Error(`calibration: crm ${op.args.join(' ')} failed: ${r.stderr.trim()}`)
      const verdict = op.judge()
      if (verdict !== 'all') throw new Error(`calibration run of ${scenario} did not apply fully: ${verdict}`)
      report.calibrationMs = Math.round(r.ms)
    }
    for (let run = 0; run < options.runs; run++) {
      const op = await prepare()
      const delayMs = Math.round(random() * report.calibrationMs * 1.1)
      const r = await crm(home, op.args, delayMs)
      report.runs++
      if (r.killed) report.killed++
      else report.completedBeforeKill++
      if (!r.killed && r.code !== 0) report.failures.push(`run ${run}: exited ${r.code} without being killed: ${r.stderr.trim()}`)
      const ok = integrity(home)
      if (ok !== 'ok') report.failures.push(`run ${run} (kill at ${delayMs} ms): integrity_check: ${ok}`)
      const verdict = op.judge()
      if (verdict === 'none') report.heldNone++
      else if (verdict === 'all') report.heldAll++
      else report.failures.push(`run ${run} (kill at ${delayMs} ms): ${verdict}`)
      if (!r.killed && verdict === 'none') report.failures.push(`run ${run}: finished but applied nothing`)
      options.log?.(`${scenario} run ${run}: kill at ${delayMs} ms, ${r.killed ? 'killed' : 'finished first'}, held ${verdict}`)
    }
    // After all that, the tool still works on the database and every backup listed verifies.
    const last = await crm(home, ['backup', 'verify', '--all'])
    if (backupIds(home).length > 0 && last.code !== 0) report.failures.push(`crm backup verify --all afterwards: ${last.stderr.trim()}`)
    return report
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}

function backupDir(home: string): string {
  return join(home, 'backups')
}

/** Backup ids as crm lists them (a killed backup must leave no half file listed). */
function backupIds(home: string): string[] {
  try {
    return readdirSync(backupDir(home)).filter((f) => /\.json$/.test(f))
  } catch {
    return []
  }
}

function lastBackupId(home: string): string {
  const ids = backupIds(home).sort()
  const last = ids[ids.length - 1]
  if (!last) throw new Error('no backup was written')
  return last.replace(/\.json$/, '').replace(/\.manifest$/, '')
}
