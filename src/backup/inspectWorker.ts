// Runs inspectDatabase (quick_check and row counts) off the main thread, so the check
// and gzip (driven from the main thread) proceed side by side on two cores.
import { parentPort, workerData } from 'node:worker_threads'
import { inspectDatabase } from './snapshot.js'

const { path } = workerData as { path: string }
try {
  parentPort!.postMessage({ ok: true, info: inspectDatabase(path) })
} catch (err) {
  parentPort!.postMessage({ ok: false, message: (err as Error).message })
}
