/**
 * What encoding detection costs an import: detection alone (the 64 KiB sample openInput
 * reads, the same call) against `crm import` of the whole 1M-customer file, for the UTF-8
 * file generateData writes and for the same file in Windows-1252 (the letters that code page
 * lacks transliterated), where the code-page detector runs.
 *
 *   node dist/bench/encodingBench.js [--customers 1000000] [--data bench/data] [--reps 2]
 *
 * Data is generated once (seeded) and reused.
 */
import { spawnSync } from 'node:child_process'
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import anyAscii from 'any-ascii'
import iconv from 'iconv-lite'
import { detectEncoding } from '../src/import/openInput.js'

const ROOT = resolve(import.meta.dirname, '../..')
const BIN = join(ROOT, 'bin/crm.js')
const SAMPLE = 64 * 1024

const { values } = parseArgs({
  options: { customers: { type: 'string', default: '1000000' }, data: { type: 'string', default: 'bench/data' }, reps: { type: 'string', default: '2' } },
})
const customers = Number(values.customers)
const reps = Number(values.reps)
const dir = resolve(join(values.data!, `c${customers}-p0`))
const utf8 = join(dir, 'customers.csv')
const cp1252 = join(dir, 'customers-1252.csv')

if (!existsSync(utf8)) {
  mkdirSync(dir, { recursive: true })
  console.error(`generating ${customers} customers in ${dir} …`)
  const g = spawnSync(process.execPath, [join(ROOT, 'dist/bench/generateData.js'), '--customers', String(customers), '--purchases', '0', '--out', dir, '--seed', '1'], { stdio: 'inherit' })
  if (g.status !== 0) throw new Error('generateData failed')
}

/** The UTF-8 file in Windows-1252: each letter the code page lacks transliterated (Иван → Ivan). */
async function writeCp1252(): Promise<void> {
  const fits = new Map<string, string>()
  const to1252 = (ch: string): string => {
    let out = fits.get(ch)
    if (out === undefined) {
      out = iconv.decode(iconv.encode(ch, 'windows-1252'), 'windows-1252') === ch ? ch : anyAscii(ch)
      fits.set(ch, out)
    }
    return out
  }
  const out = createWriteStream(cp1252)
  for await (const line of createInterface({ input: createReadStream(utf8) })) {
    // eslint-disable-next-line no-control-regex
    const text = /^[\x00-\x7f]*$/.test(line) ? line : Array.from(line, to1252).join('')
    if (!out.write(iconv.encode(text + '\n', 'windows-1252'))) await new Promise<void>((r) => out.once('drain', () => r()))
  }
  await new Promise<void>((r) => out.end(r))
}
if (!existsSync(cp1252)) {
  console.error(`writing ${cp1252} …`)
  await writeCp1252()
}

function sampleOf(path: string): Buffer {
  const fd = openSync(path, 'r')
  try {
    const buf = Buffer.alloc(SAMPLE)
    return buf.subarray(0, readSync(fd, buf, 0, SAMPLE, 0))
  } finally {
    closeSync(fd)
  }
}

/**
 * Wall time of detectEncoding on the file's sample, in ms: the first call (which builds the
 * byte and letter-pair tables, as each `crm import` process does once) and the median after.
 */
function detectionMs(path: string): { first: number; median: number; encoding: string } {
  const sample = sampleOf(path)
  let t = performance.now()
  const { encoding } = detectEncoding(sample, false)
  const first = performance.now() - t
  const times: number[] = []
  for (let i = 0; i < 21; i++) {
    t = performance.now()
    detectEncoding(sample, false)
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return { first, median: times[10]!, encoding }
}

/** `crm import` of the file into a fresh database: wall and CPU seconds. */
function importSeconds(path: string): { wall: number; cpu: number } {
  const db = join(dir, 'encoding-bench.db')
  rmSync(db, { force: true })
  rmSync(`${db}-wal`, { force: true })
  const started = performance.now()
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU=%U+%S', process.execPath, BIN, 'import', path, '--db', db, '--quiet'], { encoding: 'utf8' })
  const wall = (performance.now() - started) / 1000
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`)
  const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(r.stderr)
  rmSync(db, { force: true })
  return { wall, cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN }
}

const load = () => spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.trim()
console.log(`load average before: ${load()}`)
const files = [
  { name: 'UTF-8', path: utf8 },
  { name: 'Windows-1252', path: cp1252 },
]
const detections = new Map<string, ReturnType<typeof detectionMs>>()
for (const f of files) {
  const d = detectionMs(f.path)
  detections.set(f.name, d)
  console.log(`${f.name}: detection on the first 64 KiB → ${d.encoding}: first call ${d.first.toFixed(1)} ms, then median ${d.median.toFixed(2)} ms`)
}
const results = new Map<string, Array<{ wall: number; cpu: number }>>()
for (let i = 0; i < reps; i++) {
  // Interleaved, so a busy moment on the machine hits both files alike.
  for (const f of files) results.set(f.name, [...(results.get(f.name) ?? []), importSeconds(f.path)])
}
for (const f of files) {
  const runs = results.get(f.name)!
  const best = runs.reduce((a, b) => (b.wall < a.wall ? b : a))
  const d = detections.get(f.name)!
  const share = (d.first / 1000 / best.wall) * 100
  console.log(
    `${f.name}: crm import of ${customers} customers: best wall ${best.wall.toFixed(1)} s (CPU ${best.cpu.toFixed(1)} s) of ${runs.length}; ` +
      `detection (first call) is ${share.toFixed(3)}% of it`,
  )
}
console.log(`load average after: ${load()}`)
