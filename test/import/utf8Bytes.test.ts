import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { describe, expect, test } from 'vitest'
import { checkedUtf8Bytes, completeLength } from '../../src/import/encoding/utf8Bytes.js'
import { openInput } from '../../src/import/openInput.js'
import { readRecords } from '../../src/import/readRecords.js'

// A UTF-8 CSV goes to csv-parse as its own bytes (checked, not decoded): characters of two,
// three and four bytes cut between reads must come out whole, and invalid bytes must stop
// the import as decoding did, never reach the database as U+FFFD.

const TEXT = 'id,name,city\n1,Nguyễn Thị,Hà Nội\n2,Мария,Москва\n3,فاطمه,تهران\n4,Zoë 😀,Köln\n'
const EXPECTED = [['id', 'name', 'city'], ['1', 'Nguyễn Thị', 'Hà Nội'], ['2', 'Мария', 'Москва'], ['3', 'فاطمه', 'تهران'], ['4', 'Zoë 😀', 'Köln']]

/** The records csv-parse reads from these byte chunks through checkedUtf8Bytes. */
async function records(chunks: Buffer[]): Promise<string[][]> {
  const out: string[][] = []
  for await (const r of readRecords(Readable.from(chunks).pipe(checkedUtf8Bytes('x.csv')), ',', 'x.csv')) out.push(r.fields)
  return out
}

describe('checkedUtf8Bytes', () => {
  test('every cut of the file into two reads gives the same records', async () => {
    const bytes = Buffer.from(TEXT)
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(await records([bytes.subarray(0, cut), bytes.subarray(cut)]), `cut at byte ${cut}`).toEqual(EXPECTED)
    }
  })

  test('reads of one to five bytes, a character spread over three of them', async () => {
    const bytes = Buffer.from(TEXT)
    for (const size of [1, 2, 3, 5]) {
      const chunks: Buffer[] = []
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size))
      expect(await records(chunks), `reads of ${size}`).toEqual(EXPECTED)
    }
  })

  test('a byte-order mark is dropped, as decoding dropped it', async () => {
    expect(await records([Buffer.from([0xef, 0xbb]), Buffer.from([0xbf]), Buffer.from(TEXT)])).toEqual(EXPECTED)
  })

  test('an invalid byte, a stray continuation byte or a character cut off at the end stops with the decoding message', async () => {
    const good = Buffer.from('a,b\n1,Zoë\n')
    for (const bad of [Buffer.from([0xff]), Buffer.from([0x80]), Buffer.from([0xc3, 0x28]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xe1, 0xbb])]) {
      await expect(records([good, bad, Buffer.from(',x\n')]).then(() => 'read'), bad.toString('hex')).rejects.toThrow(
        /x\.csv: not valid UTF-8 near byte \d+ \(is it Windows-1252\? try --encoding windows-1252\)/,
      )
    }
    await expect(records([good, Buffer.from('2,Nguy'), Buffer.from([0xe1, 0xbb])])).rejects.toThrow(/not valid UTF-8/)
  })
})

describe('completeLength', () => {
  test('holds back only a character whose lead byte is there and continuation bytes are not', () => {
    const cases: Array<[number[], number]> = [
      [[0x61], 1],
      [[0x61, 0xc3], 1],
      [[0x61, 0xc3, 0xa9], 3],
      [[0x61, 0xe1, 0xbb], 1],
      [[0x61, 0xf0, 0x9f, 0x98], 1],
      [[0x61, 0xf0, 0x9f, 0x98, 0x80], 5],
      [[0x61, 0x80], 2], // a stray continuation byte: left for isUtf8 to refuse
      [[0x80, 0x80, 0x80, 0x80], 4],
      [[], 0],
    ]
    for (const [bytes, n] of cases) expect(completeLength(Buffer.from(bytes)), Buffer.from(bytes).toString('hex')).toBe(n)
  })
})

describe('openInput(…).openCsv', () => {
  test('a real file read in 1 MiB pieces: a character across the boundary comes out whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crm-utf8-'))
    try {
      const header = 'n,name\n'
      // 'ễ' (3 bytes) starts one byte before the first read's end: cut after its first byte.
      const filler = 'x'.repeat(1024 * 1024 - 1 - Buffer.byteLength(`${header}0,\n1,Nguy`))
      const text = `${header}0,${filler}\n1,Nguyễn\n2,😀 Москва\n`
      expect(Buffer.from(text).indexOf(Buffer.from('ễ'))).toBe(1024 * 1024 - 1)
      const file = join(dir, 'big.csv')
      writeFileSync(file, text)
      const source = openInput(file)
      expect(source.encoding).toBe('utf-8')
      const out: string[][] = []
      for await (const r of readRecords(source.openCsv(), ',', 'big.csv')) out.push(r.fields)
      expect(out.slice(2)).toEqual([['1', 'Nguyễn'], ['2', '😀 Москва']])
      expect(out[1]![1]).toBe(filler)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
