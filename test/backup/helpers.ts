import { spawn, type ChildProcess } from 'node:child_process'
import { openSqliteDb } from '../../src/db/openDb.js'
import { join } from 'node:path'
import { ROOT } from '../helpers/runCrm.js'

/** Arranges a database with `n` customers through the real openDb (migrations, WAL, 0600). */
export async function seedCustomers(dbPath: string, n: number, prefix = 'c'): Promise<void> {
  const crm = await openSqliteDb(dbPath)
  try {
    const insert = crm.sqlite.prepare('insert into customers (first_name, last_name, email) values (?, ?, ?)')
    crm.sqlite.transaction(() => {
      for (let i = 0; i < n; i++) insert.run(`${prefix}${i}`, 'Ng\u1ec5n', `${prefix}${i}@example.com`)
    })()
  } finally {
    await crm.close()
  }
}

/**
 * Another process writing to the database in a loop: 10 customers per transaction,
 * until killed. Resolves once its first transaction has committed.
 * With `keepWal`, it never checkpoints, so a SIGKILL leaves committed frames in -wal.
 */
export function startWriter(dbPath: string, options: { keepWal?: boolean; batches?: number } = {}): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3')
    const db = new Database(process.argv[1], { timeout: 60000 })
    db.pragma('journal_mode = WAL')
    ${options.keepWal ? "db.pragma('wal_autocheckpoint = 0')" : ''}
    const insert = db.prepare("insert into customers (first_name, last_name, email) values (?, 'Writer', ?)")
    const batch = db.transaction((b) => { for (let i = 0; i < 10; i++) insert.run('w' + b + '_' + i, 'w' + b + '_' + i + '@example.com') })
    let b = 0
    const limit = ${options.batches ?? 'Infinity'}
    let said = false
    function tick() {
      for (let k = 0; k < 20 && b < limit; k++) batch(b++)
      // A bounded writer reports once all its rows are in; an endless one after its first 20.
      if (!said && b >= (limit === Infinity ? 20 : limit)) { said = true; process.stdout.write('started\\n') }
      if (b < limit) setImmediate(tick)
      else setInterval(() => {}, 1e6) // stay alive (and keep the WAL) until killed
    }
    tick()
  `
  const child = spawn(process.execPath, ['-e', script, dbPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child))
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)))
  })
}

/**
 * `crm --db DB restore ID --yes` in a child process that stops at `step` (CRM_TEST_PAUSE_RESTORE)
 * and says so on stderr; resolves once it has paused, for the caller to kill it there.
 */
export function pausedRestore(db: string, id: string, step: string, env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(ROOT, 'bin/crm.js'), '--db', db, 'restore', id, '--yes'], {
    env: { PATH: process.env.PATH, ...env, CRM_TEST_PAUSE_RESTORE: step },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let err = ''
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString()
      if (err.includes(`paused at ${step}`)) resolve(child)
    })
    child.once('exit', () => reject(new Error(`restore ended before pausing: ${err}`)))
  })
}

export function killAndWait(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve()
    child.once('exit', () => resolve())
    child.kill(signal)
  })
}

/**
 * Another process that takes the write lock, inserts `rows` customers and holds the
 * transaction open for `ms` before committing: a long import, as a backup sees it.
 * Resolves once the lock is held.
 */
export function holdWriteTransaction(dbPath: string, ms: number, rows = 5): Promise<ChildProcess> {
  const script = `
    const Database = require('better-sqlite3')
    const db = new Database(process.argv[1], { timeout: 60000 })
    db.exec('BEGIN IMMEDIATE')
    const insert = db.prepare("insert into customers (first_name, last_name, email) values ('held', 'Writer', ?)")
    for (let i = 0; i < ${rows}; i++) insert.run('held' + i + '@example.com')
    process.stdout.write('held\\n')
    setTimeout(() => { db.exec('COMMIT'); db.close() }, ${ms})
  `
  const child = spawn(process.execPath, ['-e', script, dbPath], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  return new Promise((resolve, reject) => {
    child.stdout!.once('data', () => resolve(child))
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)))
  })
}
