// Runs one dedupe in a worker thread with a capped heap (see runDedupeInWorker).
import { parentPort, workerData } from 'node:worker_threads'
import BetterSqlite3 from 'better-sqlite3'
import { runDedupe, type RunDedupeOptions } from './index.js'

const { path, options } = workerData as { path: string; options: RunDedupeOptions }
const sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true })
try {
  const result = runDedupe({ sqlite }, options)
  parentPort!.postMessage({ shown: result.shown, records: result.stats.records, weights: result.weights })
} finally {
  sqlite.close()
}
