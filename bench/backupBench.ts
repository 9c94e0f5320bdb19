/**
 * Backup figures for docs/benchmarks.md ("Backups"): crm's snapshot, backup, verify and
 * restore beside the sqlite3 shell's `.backup`, in the same run, on a generated
 * 1,000,000-customer database (seeded, deterministic; kept in bench/data/, never in git).
 *
 *   npm run bench -- backup [--customers N] [--purchases N]
 *   (or: npm run build && node dist/bench/backupBench.js [--customers N] [--purchases N])
 *
 * Every timing that writes a file ends with an fsync of it (sqlite3's `.backup` does not
 * fsync by itself, so `sync` follows it), so the figures compare durable copies.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createReadStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { pipeline } from 'node:stream/promises'
import { createBrotliCompress, createGzip, constants as zc } from 'node:zlib'
import { Writable } from 'node:stream'
import { fsyncFile } from '../src/backup/durable.js'
import { parallelGzip } from '../src/backup/parallelGzip.js'
import { checkedSnapshot } from '../src/backup/checkedSnapshot.js'
import { inspectDatabase, snapshotDatabase } from '../src/backup/snapshot.js'
import { openSqliteDb } from '../src/db/openDb.js'

const ROOT = resolve(import.meta.dirname, '../..')
const DATA = join(ROOT, 'bench/data')
const BIN = join(ROOT, 'bin/crm.js')

function arg(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(`--${name}`)
  return i >= 0 ? Number(argv[i + 1]) : fallback
}
let CUSTOMERS = 1_000_000
let PURCHASES = 3_000_000

/** mulberry32: a small seeded PRNG, so the database is the same on every run. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const FIRST = ['Anna', 'Robert', 'Thị Lan', 'Олег', 'Sara', 'Mohammed', 'Łukasz', 'José', 'Mei', 'Dariush', 'Emma', 'Noah', 'Zoë', 'Иван', 'Nguyễn']
const LAST = ['Smith', 'Nguyễn', 'Kowalski', 'Иванов', 'García', 'Müller', 'Rahimi', 'Chen', 'Johnson', 'Brown', 'Øster', 'Dubois']
const CITIES = [['Springfield', 'IL', 'US'], ['Berlin', 'BE', 'DE'], ['Hà Nội', 'HN', 'VN'], ['Москва', 'MOW', 'RU'], ['Tehran', 'THR', 'IR'], ['Austin', 'TX', 'US'], ['Lyon', 'ARA', 'FR']] as const
const PRODUCTS = ['coffee beans', 'espresso machine', 'grinder', 'mug', 'filter papers', 'gift card', 'tea sampler', 'kettle']

async function generate(path: string): Promise<void> {
  const crm = await openSqliteDb(path)
  const r = rng(42)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
  const ins = crm.sqlite.prepare(`insert into customers (external_id, first_name, last_name, email, email_norm, phone, phone_e164,
    gender, birth_date, street, city, region, postal_code, country, source, city_key, region_key, search_key, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insP = crm.sqlite.prepare(`insert into purchases (customer_id, purchased_at, product, category, quantity, amount_cents, currency, order_id, line)
    values (?, ?, ?, ?, ?, ?, 'USD', ?, 1)`)
  const day = 86_400_000
  const t0 = Date.parse('2020-01-01T00:00:00Z')
  crm.sqlite.transaction(() => {
    for (let i = 1; i <= CUSTOMERS; i++) {
      const first = pick(FIRST)
      const last = pick(LAST)
      const [city, region, country] = pick(CITIES)
      const email = `${first.toLowerCase().replace(/\s/g, '')}.${i}@example.com`
      const phone = `+1555${String(i).padStart(7, '0')}`
      const created = new Date(t0 + Math.floor(r() * 2000) * day).toISOString()
      ins.run(`C${i}`, first, last, email, email, phone, phone, pick(['f', 'm', 'x']), `19${50 + Math.floor(r() * 50)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`,
        `${1 + Math.floor(r() * 999)} Main Street`, city, region, String(10000 + Math.floor(r() * 89999)), country, pick(['web', 'friend', 'flyer', 'instagram']),
        city.toLowerCase(), region.toLowerCase(), `${first} ${last} ${email}`.toLowerCase(), created, created)
    }
    for (let i = 1; i <= PURCHASES; i++) {
      const at = new Date(t0 + Math.floor(r() * 2000 * day)).toISOString()
      insP.run(1 + Math.floor(r() * CUSTOMERS), at, pick(PRODUCTS), 'coffee', 1 + Math.floor(r() * 3), 100 + Math.floor(r() * 20000), `O${i}`)
    }
  })()
  crm.sqlite.pragma('wal_checkpoint(TRUNCATE)')
  await crm.close()
}

function seconds(fn: () => void): number {
  const t = process.hrtime.bigint()
  fn()
  return Number(process.hrtime.bigint() - t) / 1e9
}
async function secondsAsync(fn: () => Promise<void>): Promise<number> {
  const t = process.hrtime.bigint()
  await fn()
  return Number(process.hrtime.bigint() - t) / 1e9
}

function crm(args: string[], env: Record<string, string> = {}): void {
  const r = spawnSync(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`crm ${args.join(' ')}: ${r.stderr}`)
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`
const rows: string[][] = []
function row(what: string, secs: number | null, bytes: number | null, note = ''): void {
  rows.push([what, secs === null ? '' : `${secs.toFixed(2)} s`, bytes === null ? '' : mib(bytes), note])
  console.error(`${what}: ${secs?.toFixed(2) ?? ''} s ${bytes !== null ? mib(bytes) : ''} ${note}`)
}

type Stage = NodeJS.ReadWriteStream | ((source: AsyncIterable<Buffer | string>) => AsyncGenerator<Buffer>)

async function compressedSize(path: string, make: () => Stage): Promise<number> {
  let n = 0
  await pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), make(), new Writable({ write(c: Buffer, _e, cb) { n += c.length; cb() } }))
  return n
}

/** The benchmark, in bench/run.ts's shape: one line per figure. */
export async function backupBench(argv: string[]): Promise<string[]> {
  CUSTOMERS = arg(argv, 'customers', 1_000_000)
  PURCHASES = arg(argv, 'purchases', 3_000_000)
  rows.length = 0
  mkdirSync(DATA, { recursive: true })
  const db = join(DATA, `backup-${CUSTOMERS}c-${PURCHASES}p.db`)
  if (!existsSync(db)) {
    console.error(`generating ${db} …`)
    const t = await secondsAsync(() => generate(db))
    console.error(`generated in ${t.toFixed(1)} s`)
  }
  const work = join(DATA, 'backup-bench')
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true, mode: 0o700 })
  const size = statSync(db).size
  const sqliteVersion = execFileSync('sqlite3', ['--version'], { encoding: 'utf8' }).split(' ')[0]
  console.error(`database ${mib(size)}; sqlite3 shell ${sqliteVersion}`)
  // Warm the page cache the same way for everyone.
  execFileSync('cat', [db], { stdio: ['ignore', 'ignore', 'ignore'], maxBuffer: 1 << 30 })

  // This machine is shared (load average above 10 while measuring): the copies are
  // timed three times, alternating, and the best of each is kept.
  const shellCopy = join(work, 'shell.db')
  const live = await openSqliteDb(db, { readonly: true })
  const snap = join(work, 'snap.db')
  const shellTimes: number[] = []
  const snapTimes: number[] = []
  const seqTimes: number[] = []
  const quickTimes: number[] = []
  for (let i = 0; i < 3; i++) {
    shellTimes.push(
      seconds(() => {
        execFileSync('sqlite3', [db, `.backup '${shellCopy}'`])
        fsyncFile(shellCopy)
      }),
    )
    rmSync(shellCopy)
    // What crm backup does: copy, with quick_check and the counts on the same snapshot beside it.
    let checkedOn = ''
    snapTimes.push(
      await secondsAsync(async () => {
        const s = await checkedSnapshot(db, snap, 'backup-api')
        fsyncFile(snap)
        await s.checked
        checkedOn = s.checkedOn
      }),
    )
    if (checkedOn !== 'snapshot') throw new Error(`the check ran on the ${checkedOn}, not beside the copy`)
    rmSync(snap)
    // The simple order, for comparison: copy, then check the copy.
    let tQuick = 0
    seqTimes.push(
      await secondsAsync(async () => {
        await snapshotDatabase(live.sqlite, snap, 'backup-api')
        fsyncFile(snap)
        tQuick = seconds(() => inspectDatabase(snap))
      }),
    )
    quickTimes.push(tQuick)
  }
  const tShell = Math.min(...shellTimes)
  const tSnap = Math.min(...snapTimes)
  const tSeq = Math.min(...seqTimes)
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(' / ')
  row('sqlite3 shell `.backup` (+ fsync)', tShell, size, `the reference; runs ${fmt(shellTimes)} s`)
  row('crm snapshot: backup API in one step + fsync, quick_check + row counts of the same snapshot beside it', tSnap, statSync(snap).size,
    `${(tSnap / tShell).toFixed(2)}× .backup; runs ${fmt(snapTimes)} s`)
  row('(for comparison) backup API + fsync, then quick_check + row counts of the copy', tSeq, statSync(snap).size,
    `${(tSeq / tShell).toFixed(2)}× .backup; runs ${fmt(seqTimes)} s, of which the check ${fmt(quickTimes)} s`)
  const vac = join(work, 'vacuum.db')
  const tVac = await secondsAsync(async () => {
    await snapshotDatabase(live.sqlite, vac, 'vacuum-into')
    fsyncFile(vac)
    inspectDatabase(vac)
  })
  row('(alternative) VACUUM INTO + quick_check + row counts', tVac, statSync(vac).size, `${(tVac / tShell).toFixed(2)}× .backup`)
  rmSync(vac)
  await live.close()

  // Compression choices, on the snapshot (stream only, no disk write); --skip-compression
  // leaves them out (they take minutes).
  const skipCompression = argv.includes('--skip-compression')
  const choices: Array<[string, () => Stage]> = [
    ['gzip level 1 in 8 MiB blocks on every core (chosen)', () => parallelGzip({ level: 1 })],
    ['gzip level 1, one stream', () => createGzip({ level: 1 })],
    ['gzip level 6 (zlib default)', () => createGzip({ level: 6 })],
    ['gzip level 9', () => createGzip({ level: 9 })],
    ['brotli quality 4', () => createBrotliCompress({ params: { [zc.BROTLI_PARAM_QUALITY]: 4, [zc.BROTLI_PARAM_SIZE_HINT]: statSync(snap).size } })],
  ]
  for (const [name, make] of skipCompression ? [] : choices) {
    let n = 0
    const t = await secondsAsync(async () => {
      n = await compressedSize(snap, make)
    })
    row(`compress the snapshot: ${name}`, t, n, `${((100 * n) / statSync(snap).size).toFixed(1)}% of the file`)
  }
  rmSync(snap)

  const backups = join(work, 'backups')
  const tBackup = seconds(() => crm(['--db', db, '--quiet', 'backup', '--to', backups]))
  const plain = readdirSync(backups).find((f) => f.endsWith('.db.gz'))!
  row('`crm backup` (whole command: snapshot with its check, gzip, fsync, manifest)', tBackup, statSync(join(backups, plain)).size, `${(tBackup / tShell).toFixed(2)}× .backup`)
  const env = { CRM_BACKUP_PASSPHRASE: 'bench passphrase' }
  const tEnc = seconds(() => crm(['--db', db, '--quiet', 'backup', '--to', backups, '--encrypt'], env))
  const enc = readdirSync(backups).find((f) => f.endsWith('.db.gz.enc'))!
  row('`crm backup --encrypt` (+ AES-256-GCM, scrypt)', tEnc, statSync(join(backups, enc)).size)
  const plainId = plain.replace('.db.gz', '')
  const encId = enc.replace('.db.gz.enc', '')
  row('`crm backup verify` (checksum, gunzip, quick_check, counts)', seconds(() => crm(['--db', db, '--quiet', 'backup', 'verify', plainId, '--backups', backups])), null)
  row('`crm backup verify` of the encrypted one', seconds(() => crm(['--db', db, '--quiet', 'backup', 'verify', encId, '--backups', backups], env)), null)
  row('`crm backup verify --full` (integrity_check, foreign_key_check)', seconds(() => crm(['--db', db, '--quiet', 'backup', 'verify', plainId, '--full', '--backups', backups])), null)
  const restored = join(work, 'restored.db')
  row('`crm restore ID --to PATH` (unpack, check, fsync, rename)', seconds(() => crm(['--db', db, '--quiet', 'restore', plainId, '--to', restored, '--backups', backups])), statSync(restored).size)
  // A live restore: over a copy of the database (safety backup of it first, then the swap).
  const liveCopy = join(work, 'live.db')
  execFileSync('sqlite3', [db, `.backup '${liveCopy}'`])
  row(
    '`crm restore ID --yes` over a live database (safety backup + swap)',
    seconds(() => crm(['--db', liveCopy, '--quiet', 'restore', plainId, '--yes', '--backups', backups])),
    null,
  )

  rmSync(work, { recursive: true, force: true })
  return [
    `database: ${CUSTOMERS.toLocaleString('en')} customers, ${PURCHASES.toLocaleString('en')} purchases, ${mib(size)}; sqlite3 shell ${sqliteVersion}; warm page cache`,
    ...rows.map(([what, time, size, note]) => `${what}: ${[time, size, note].filter(Boolean).join(', ')}`),
  ]
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const line of await backupBench(process.argv.slice(2))) console.log(line)
}
