import { closeSync, createReadStream, openSync, readSync, statSync } from 'node:fs'
import { Transform, type Readable } from 'node:stream'
import iconv from 'iconv-lite'
import { CrmError, UsageError } from '../errors.js'
import { detectCodePage } from './encoding/detectCodePage.js'
import { nfcStream } from './encoding/nfcStream.js'
import { checkedUtf8Bytes } from './encoding/utf8Bytes.js'

const SAMPLE_BYTES = 64 * 1024

export interface InputSource {
  path: string
  size: number
  encoding: string
  /** Why that encoding: "--encoding", "byte-order mark", "valid UTF-8", or what the code-page guess saw. */
  encodingReason: string
  /** The first part of the file, decoded: enough to sniff the delimiter and read the header. */
  sample: string
  /** The whole file as decoded text chunks. */
  open(onProgress?: (bytesRead: number, totalBytes: number) => void): Readable
  /** The whole file for csv-parse: a UTF-8 file as its checked bytes (utf8Bytes.ts), any other decoded. */
  openCsv(onProgress?: (bytesRead: number, totalBytes: number) => void): Readable
}

function readSample(path: string): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(SAMPLE_BYTES)
    const n = readSync(fd, buf, 0, SAMPLE_BYTES, 0)
    return buf.subarray(0, n)
  } finally {
    closeSync(fd)
  }
}

function isValidUtf8(sample: Buffer, complete: boolean): boolean {
  // A multi-byte character may be cut at the end of the sample: end the check at the
  // last character's lead byte (continuation bytes are 10xxxxxx).
  let end = sample.length
  if (!complete) {
    while (end > 0 && sample.length - end < 4 && (sample[end - 1]! & 0xc0) === 0x80) end--
    if (end > 0 && sample[end - 1]! >= 0xc0) end--
  }
  const trimmed = sample.subarray(0, end)
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(trimmed)
    return true
  } catch {
    return false
  }
}

export interface DetectedEncoding {
  encoding: string
  reason: string
}

/**
 * Which encoding a file is in, from its first 64 KiB: a BOM decides (Excel "Unicode text"
 * is UTF-16LE with a BOM); else valid UTF-8 is UTF-8; else the single-byte code page whose
 * decoding reads most like a real language (detectCodePage).
 */
export function detectEncoding(sample: Buffer, complete: boolean): DetectedEncoding {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return { encoding: 'utf-8', reason: 'byte-order mark' }
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', reason: 'byte-order mark' }
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', reason: 'byte-order mark' }
  // UTF-16 without a BOM: ASCII text leaves every other byte zero.
  let evenZeros = 0
  let oddZeros = 0
  const n = Math.min(sample.length, 4096)
  for (let i = 0; i < n; i++) if (sample[i] === 0) i % 2 === 0 ? evenZeros++ : oddZeros++
  if (oddZeros > n / 4 && evenZeros < n / 20) return { encoding: 'utf-16le', reason: 'every other byte is zero' }
  if (evenZeros > n / 4 && oddZeros < n / 20) return { encoding: 'utf-16be', reason: 'every other byte is zero' }
  if (isValidUtf8(sample, complete)) return { encoding: 'utf-8', reason: 'valid UTF-8' }
  const guess = detectCodePage(sample)
  const next = guess.runnerUp ? `; next best ${guess.runnerUp}` : ''
  return {
    encoding: guess.encoding,
    reason: `not UTF-8; its ${guess.highBytes} non-ASCII bytes read as ${guess.language} in ${guess.encoding}${next}; --encoding overrides`,
  }
}

/** UTF-8 decoding that stops at the first invalid byte instead of writing U+FFFD into the database. */
function strictUtf8(path: string): Transform {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false })
  let offset = 0
  const fail = (cb: (err: Error) => void) =>
    cb(new CrmError(`${path}: not valid UTF-8 near byte ${offset} (is it Windows-1252? try --encoding windows-1252)`))
  return new Transform({
    readableObjectMode: false,
    decodeStrings: true,
    transform(chunk: Buffer, _enc, cb) {
      try {
        const text = decoder.decode(chunk, { stream: true })
        offset += chunk.length
        cb(null, text)
      } catch {
        fail(cb)
      }
    },
    flush(cb) {
      try {
        const rest = decoder.decode()
        cb(null, rest)
      } catch {
        fail(cb)
      }
    },
  })
}

/** Opens a file for import: its encoding detected (or forced) and its text streamed. */
export function openInput(path: string, forcedEncoding?: string): InputSource {
  let size: number
  try {
    const st = statSync(path)
    if (st.isDirectory()) throw new CrmError(`${path}: is a folder, not a file`)
    size = st.size
  } catch (err) {
    if (err instanceof CrmError) throw err
    const code = (err as NodeJS.ErrnoException).code
    throw new CrmError(code === 'ENOENT' ? `${path}: no such file` : `${path}: cannot read (${code})`)
  }
  if (forcedEncoding && !iconv.encodingExists(forcedEncoding)) {
    throw new UsageError(`--encoding: unknown encoding "${forcedEncoding}" (e.g. utf-8, utf-16le, windows-1252, windows-1251)`)
  }
  const sampleBytes = readSample(path)
  const detected = forcedEncoding ? { encoding: forcedEncoding, reason: '--encoding' } : detectEncoding(sampleBytes, sampleBytes.length === size)
  const encoding = detected.encoding.toLowerCase()
  // Windows-1258 writes Vietnamese tones as combining marks: compose them (Nguyê + ̃ → Nguyễn)
  // so names compare and display like the same names typed anywhere else.
  const composes = encoding === 'windows-1258' || encoding === 'cp1258'
  const sampleText = iconv.decode(sampleBytes, encoding).replace(/^\ufeff/, '')
  const sample = composes ? sampleText.normalize('NFC') : sampleText
  return {
    path,
    size,
    encoding,
    encodingReason: detected.reason,
    sample,
    open: (onProgress) => readDecoded(path, size, encoding, composes, onProgress),
    openCsv: (onProgress) =>
      encoding === 'utf-8' || encoding === 'utf8' ? readThrough(path, size, checkedUtf8Bytes(path), onProgress) : readDecoded(path, size, encoding, composes, onProgress),
  }
}

type Progress = ((bytesRead: number, totalBytes: number) => void) | undefined

/** The file's bytes through `step`, with read errors and progress reported. */
function readThrough(path: string, size: number, step: Transform, onProgress: Progress): Transform {
  const raw = createReadStream(path, { highWaterMark: 1024 * 1024 })
  if (onProgress) {
    let read = 0
    raw.on('data', (chunk) => {
      read += chunk.length
      onProgress(read, size)
    })
  }
  // pipe() does not pass errors on: a read error would be an uncaught exception and the
  // reader would wait forever. Hand it to the next step, whose reader sees it.
  raw.on('error', (err: NodeJS.ErrnoException) => step.destroy(new CrmError(`${path}: cannot read (${err.code ?? err.message})`, 1, { cause: err })))
  return raw.pipe(step)
}

function readDecoded(path: string, size: number, encoding: string, composes: boolean, onProgress: Progress): Readable {
  // iconv-lite strips a BOM by default, so the header's first name comes out clean.
  const decode = encoding === 'utf-8' || encoding === 'utf8' ? strictUtf8(path) : (iconv.decodeStream(encoding) as unknown as Transform)
  const text = readThrough(path, size, decode, onProgress)
  if (!composes) return text
  const composed = nfcStream()
  decode.on('error', (err) => composed.destroy(err))
  return text.pipe(composed)
}

/** Delimiter of a spreadsheet's text export: the one that splits the first lines most consistently. */
export function detectDelimiter(sample: string): string {
  const lines = sample.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 20)
  if (lines.length === 0) return ','
  const candidates = [',', ';', '\t', '|']
  let best = ','
  let bestScore = -1
  for (const d of candidates) {
    const counts = lines.map((l) => countOutsideQuotes(l, d))
    const first = counts[0]!
    if (first === 0) continue
    const consistent = counts.filter((c) => c === first).length / counts.length
    const score = consistent * 1000 + first
    if (score > bestScore) {
      bestScore = score
      best = d
    }
  }
  return best
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let inQuotes = false
  let n = 0
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes
    else if (ch === delimiter && !inQuotes) n++
  }
  return n
}
