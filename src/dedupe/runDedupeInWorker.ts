import { Worker } from 'node:worker_threads'
import { CrmError } from '../errors.js'
import { workerFile } from '../paths.js'
import type { ModelWeights, RunDedupeOptions, ShownGroup } from './index.js'

/** Heap for a dedupe: a million customers need about 1 GB live; the cap keeps the process under 2 GB. */
const HEAP_MB = 1400

/** What the worker sends back: the groups, how many customers were read, the model's weights. */
export interface WorkerResult {
  shown: ShownGroup[]
  records: number
  weights: ModelWeights
}

/**
 * Runs `runDedupe` on the database file in a worker thread whose heap is capped, so V8
 * collects the blocking step's garbage instead of growing the process past 2 GB at a
 * million customers. Returns the groups, how many customers were read and the weights.
 */
export function runDedupeInWorker(path: string, options: RunDedupeOptions): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile('dedupe/dedupeWorker.js') ?? new URL('./dedupeWorker.js', import.meta.url), {
      workerData: { path, options },
      resourceLimits: { maxOldGenerationSizeMb: HEAP_MB },
    })
    let done = false
    worker.once('message', (m: WorkerResult) => {
      done = true
      resolve(m)
    })
    worker.once('error', (err: Error & { code?: string }) => {
      done = true
      reject(
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new CrmError(`crm dedupe ran out of memory (${HEAP_MB} MB); narrow it with a filter such as --city or --zip`, 1, { cause: err })
          : err,
      )
    })
    worker.once('exit', (code) => {
      if (!done) reject(new CrmError(`crm dedupe stopped unexpectedly (exit ${code})`))
    })
  })
}
