import { parentPort, workerData } from 'node:worker_threads'
import { CrmError } from '../errors.js'
import { validateFile, type ValidationJob } from './validateFile.js'

/**
 * Worker thread: parses and checks the file while the main thread writes (NOTES.md:
 * parsing, not SQLite, is the bottleneck, and the machine has two cores).
 * At most MAX_IN_FLIGHT batches wait unacknowledged, so memory stays flat.
 */
const MAX_IN_FLIGHT = 4
const port = parentPort!
let inFlight = 0
let wake: (() => void) | null = null
port.on('message', (m: { ack: number }) => {
  inFlight -= m.ack
  wake?.()
  wake = null
})

async function run(): Promise<void> {
  try {
    // When the main thread has no batch waiting, it is idle (or filling the search index, a
    // piece at a time): it reads this batch's phone numbers itself (libphonenumber is the
    // dearest step), and the two threads even out.
    for await (const event of validateFile(workerData as ValidationJob, () => inFlight === 0)) {
      while (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((r) => (wake = r))
      inFlight++
      port.postMessage(event)
    }
    port.postMessage({ event: 'end' })
  } catch (err) {
    const e = err as Error
    port.postMessage({ event: 'error', message: e.message, exitCode: err instanceof CrmError ? err.exitCode : 1, crm: err instanceof CrmError, stack: e.stack })
  }
}
void run()
