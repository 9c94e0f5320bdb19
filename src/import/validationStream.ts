import { statSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { CrmError } from '../errors.js'
import { workerFile } from '../paths.js'
import { validateFile, type ValidationEvent, type ValidationJob } from './validateFile.js'

/** Below this size a worker thread's start-up (~40 ms) costs more than it saves. */
const WORKER_MIN_BYTES = 2 * 1024 * 1024

/**
 * The checked rows of a file, parsed in a worker thread for big files and inline for
 * small ones (and in tests, where the worker's compiled file may not exist).
 *
 * `whileWaiting` runs on this thread whenever the worker's next batch has not arrived: a
 * short piece of other work (about 30 ms), true if it did some, false when there is none
 * left; the loop then sleeps until the batch comes.
 */
export function validationStream(job: ValidationJob, whileWaiting: () => boolean = () => false): AsyncIterable<ValidationEvent> {
  let size = 0
  try {
    size = statSync(job.file).size
  } catch {
    // openInput reports the missing file with its own message.
  }
  const worker = process.env.CRM_IMPORT_WORKER === '0' ? null : workerFile('import/validationWorker.js')
  if (size < WORKER_MIN_BYTES || !worker) return validateFile(job)
  return fromWorker(worker, job, whileWaiting)
}

async function* fromWorker(file: URL, job: ValidationJob, whileWaiting: () => boolean): AsyncGenerator<ValidationEvent> {
  const worker = new Worker(file, { workerData: job })
  const queue: unknown[] = []
  let notify: (() => void) | null = null
  let failure: Error | null = null
  worker.on('message', (m) => {
    queue.push(m)
    notify?.()
  })
  worker.on('error', (err) => {
    failure = err
    notify?.()
  })
  worker.on('exit', () => {
    queue.push({ event: 'end' })
    notify?.()
  })
  try {
    for (;;) {
      if (queue.length === 0) {
        if (failure) throw failure
        if (whileWaiting()) {
          // Let the event loop take in a message that came meanwhile before the next piece.
          await new Promise<void>((r) => setImmediate(r))
          continue
        }
        await new Promise<void>((r) => (notify = r))
        notify = null
        continue
      }
      const m = queue.shift() as { event: string; message?: string; exitCode?: 1 | 2; crm?: boolean; stack?: string }
      if (m.event === 'end') return
      if (m.event === 'error') {
        if (m.crm) throw new CrmError(m.message!, m.exitCode)
        const err = new Error(m.message)
        err.stack = m.stack
        throw err
      }
      // The ack goes first: the worker checks the next batch while this one is written.
      worker.postMessage({ ack: 1 })
      yield m as ValidationEvent
    }
  } finally {
    await worker.terminate()
  }
}
