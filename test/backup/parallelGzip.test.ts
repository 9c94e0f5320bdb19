import { execFileSync } from 'node:child_process'
import { gunzipSync, gzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import { parallelGzip } from '../../src/backup/parallelGzip.js'

async function* chunks(data: Buffer, sizes: number[]): AsyncGenerator<Buffer> {
  let at = 0
  for (let i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length]!
    yield data.subarray(at, at + n)
    at += n
  }
}

async function collect(gen: AsyncGenerator<Buffer>): Promise<Buffer> {
  const out: Buffer[] = []
  for await (const b of gen) out.push(b)
  return Buffer.concat(out)
}

/** Text-like data with some repetition, so gzip has something to do. */
function sample(bytes: number): Buffer {
  const words = ['Nguyễn', 'Robert', 'espresso', 'Москва', '2026-11-23', 'customer', '42']
  let s = ''
  for (let i = 0; s.length < bytes; i++) s += words[(i * 7 + (i >> 3)) % words.length] + (i % 13 === 0 ? '\n' : ' ')
  return Buffer.from(s).subarray(0, bytes)
}

describe('parallelGzip', () => {
  test('any chunking, several blocks in flight: one gzip file that decodes to the input, in order', async () => {
    const data = sample(50_000)
    for (const sizes of [[1], [999, 1, 4096], [50_000], [7000, 123]]) {
      const gz = await collect(parallelGzip({ level: 1, parallel: 3, blockBytes: 4096 })(chunks(data, sizes)))
      expect(gunzipSync(gz).equals(data), `chunks ${sizes.join(',')}`).toBe(true)
      // Cut into blocks: several gzip members, each starting with the magic bytes 1f 8b.
      expect(gz.length).toBeGreaterThan(gzipSync(data, { level: 1 }).length)
      expect(gz.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]))
    }
  })

  test('the gzip command reads the members back whole', async () => {
    const data = sample(30_000)
    const gz = await collect(parallelGzip({ level: 1, blockBytes: 1000 })(chunks(data, [777])))
    expect(execFileSync('gzip', ['-dc'], { input: gz }).equals(data)).toBe(true)
  })

  test('an empty input is an empty gzip file, not no file', async () => {
    const gz = await collect(parallelGzip({ level: 1 })(chunks(Buffer.alloc(0), [1])))
    expect(gz.length).toBeGreaterThan(0)
    expect(gunzipSync(gz).length).toBe(0)
  })
})
