import { createHash } from 'node:crypto'
import type { Transform } from './crypto.js'

/** What a Measure saw pass: its byte count and SHA-256 (hex), read once the pipeline ends. */
export interface Measure {
  /** The pipeline stage: passes every chunk on unchanged. */
  readonly stage: Transform
  bytes(): number
  sha256(): string
}

/**
 * A pass-through pipeline stage that hashes and counts what flows through it, e.g. the
 * database before compression and the stored file after it, in one read of each.
 */
export function measure(): Measure {
  const hash = createHash('sha256')
  let bytes = 0
  let digest: string | null = null
  return {
    stage: async function* measured(source) {
      for await (const piece of source) {
        const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece
        hash.update(chunk)
        bytes += chunk.length
        yield chunk
      }
    },
    bytes: () => bytes,
    sha256: () => (digest ??= hash.digest('hex')),
  }
}
