import { availableParallelism } from 'node:os'
import { promisify } from 'node:util'
import { gzip } from 'node:zlib'
import type { Transform } from './crypto.js'

const gzipAsync = promisify(gzip)

/** Block size: zlib's window is 32 KiB, so splitting at 8 MiB costs well under 0.1% in size. */
const BLOCK_BYTES = 8 << 20

/**
 * A pipeline stage that gzips its input on several cores, as pigz does: the input is cut
 * into 8 MiB blocks, each compressed as its own gzip member on Node's thread pool, and the
 * members are written in order. Concatenated members are one valid gzip file (RFC 1952,
 * section 2.2): `gunzip`, zlib and Node's createGunzip read it back whole.
 *
 * Why: a backup spent 16 of its 19 s in single-threaded gzip on a 1.2 GB database; this
 * spreads that over every core (docs/benchmarks.md, "Backups").
 * Memory: at most `parallel + 1` blocks and their compressed forms in flight.
 */
export function parallelGzip(options: { level: number; parallel?: number; blockBytes?: number }): Transform {
  const parallel = Math.max(1, options.parallel ?? availableParallelism())
  const blockBytes = options.blockBytes ?? BLOCK_BYTES
  return async function* gzipBlocks(source) {
    const inFlight: Array<Promise<Buffer>> = []
    let pending: Buffer[] = []
    let pendingBytes = 0
    let any = false
    const start = (block: Buffer): void => {
      const p = gzipAsync(block, { level: options.level })
      // Awaited in order below; until then a failure must not count as unhandled.
      p.catch(() => {})
      inFlight.push(p)
      any = true
    }
    for await (const piece of source) {
      const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece
      pending.push(chunk)
      pendingBytes += chunk.length
      while (pendingBytes >= blockBytes) {
        const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes)
        start(all.subarray(0, blockBytes))
        const rest = all.subarray(blockBytes)
        pending = rest.length > 0 ? [rest] : []
        pendingBytes = rest.length
        // One more than the cores, so none idles while the oldest block is handed on.
        while (inFlight.length > parallel) yield await inFlight.shift()!
      }
    }
    // An empty input still makes one (empty) member: a valid gzip file.
    if (pendingBytes > 0 || !any) start(Buffer.concat(pending, pendingBytes))
    while (inFlight.length > 0) yield await inFlight.shift()!
  }
}
