import { Readable } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { decryptStage, encryptStage, HEADER_BYTES } from '../../src/backup/crypto.js'

async function collect(gen: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = []
  for await (const c of gen) parts.push(c)
  return Buffer.concat(parts)
}

/** Splits a buffer into odd-sized chunks so header and tag straddle chunk borders. */
function chunked(buf: Buffer, size = 7): Readable {
  const parts: Buffer[] = []
  for (let i = 0; i < buf.length; i += size) parts.push(buf.subarray(i, i + size))
  return Readable.from(parts)
}

describe('backup encryption (AES-256-GCM, scrypt)', () => {
  const plain = Buffer.from('SQLite format 3\0' + 'x'.repeat(5000))

  test('round-trips, whatever the chunk sizes', async () => {
    const sealed = await collect((await encryptStage('correct horse'))(Readable.from([plain])))
    expect(sealed.length).toBe(HEADER_BYTES + plain.length + 16)
    expect(sealed.includes(Buffer.from('SQLite format 3'))).toBe(false)
    for (const size of [1, 7, 64, 100_000]) {
      expect(await collect(decryptStage('correct horse', 'b')(chunked(sealed, size)))).toEqual(plain)
    }
  })

  test('a wrong passphrase is its own clear error', async () => {
    const sealed = await collect((await encryptStage('correct horse'))(Readable.from([plain])))
    await expect(collect(decryptStage('battery staple', 'backup X')(chunked(sealed)))).rejects.toThrow('backup X: wrong passphrase')
  })

  test('a changed byte in the data, the tag or the header fails', async () => {
    const sealed = await collect((await encryptStage('pw'))(Readable.from([plain])))
    for (const at of [HEADER_BYTES + 100, sealed.length - 1, 8 /* log2 N */]) {
      const bad = Buffer.from(sealed)
      bad[at] = bad[at]! ^ 0x01
      await expect(collect(decryptStage('pw', 'b')(chunked(bad, 4096)))).rejects.toThrow(/tampered|wrong passphrase|damaged/)
    }
    const cut = sealed.subarray(0, sealed.length - 20)
    await expect(collect(decryptStage('pw', 'b')(chunked(cut)))).rejects.toThrow(/tampered|cut short/)
  })
})
