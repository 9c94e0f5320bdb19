import { Readable } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { nfcStream } from '../../src/import/encoding/nfcStream.js'

async function through(chunks: string[]): Promise<string> {
  let out = ''
  for await (const piece of Readable.from(chunks).pipe(nfcStream())) out += String(piece)
  return out
}

describe('nfcStream', () => {
  test('composes Windows-1258 tones, even when a mark arrives in the next chunk', async () => {
    const decomposed = 'Nguye\u0302\u0303n;Tra\u0302\u0300n;Ho\u0302\u0300 Chi\u0301 Minh\n'
    for (let cut = 0; cut <= decomposed.length; cut++) {
      expect(await through([decomposed.slice(0, cut), decomposed.slice(cut)]), `cut at ${cut}`).toBe('Nguyễn;Trần;Hồ Chí Minh\n')
    }
  })
  test('text without marks passes unchanged, empty chunks too', async () => {
    expect(await through(['abc', '', 'def\n'])).toBe('abcdef\n')
  })
})
