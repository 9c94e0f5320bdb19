// The check half of checkedSnapshot(): opens the live database read-only, starts a read
// transaction when told to (while the main thread holds writers off, so this snapshot is the
// one being copied), says so, then runs quick_check and the row counts inside it.
import { parentPort, workerData } from 'node:worker_threads'
import type BetterSqlite3 from 'better-sqlite3'
import { checkDatabase, openForCheck } from './snapshot.js'

export type ToCheckWorker = 'begin'
export type FromCheckWorker =
  | { type: 'opened' }
  | { type: 'ready' }
  | { type: 'done'; tables: Record<string, number>; schemaVersion: string | null }
  | { type: 'error'; message: string }

const port = parentPort!
const { path } = workerData as { path: string }
const say = (m: FromCheckWorker): void => port.postMessage(m)

let db: BetterSqlite3.Database | null = null
try {
  db = openForCheck(path)
  say({ type: 'opened' })
} catch (err) {
  say({ type: 'error', message: (err as Error).message })
}

port.once('message', () => {
  if (!db) return
  try {
    db.exec('BEGIN')
    // A deferred transaction takes its snapshot at the first read.
    db.prepare('select count(*) from sqlite_master').get()
    say({ type: 'ready' })
    say({ type: 'done', ...checkDatabase(db, { what: 'the database' }) })
  } catch (err) {
    say({ type: 'error', message: (err as Error).message })
  } finally {
    db.close()
  }
})
