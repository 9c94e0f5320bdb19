import { createHash } from 'node:crypto'
import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGzip, constants as zlib } from 'node:zlib'
import type BetterSqlite3 from 'better-sqlite3'
import { now } from '../clock.js'
import { encryptStage, plainStage } from './crypto.js'
import { fsyncDir, fsyncFile } from './durable.js'
import { withBackupLock } from './lock.js'
import { defaultBackupDir, newBackupId, writeManifest, type Manifest } from './manifest.js'
import { inspectDatabase, snapshotDatabase, type SnapshotMethod } from './snapshot.js'

/** The part of an open database a backup needs. */
export interface BackupSource {
  readonly path: string
  readonly sqlite: BetterSqlite3.Database
}

export interface CreateBackupOptions {
  /** Folder for the backup; default `backups/` beside the database. */
  dir?: string
  note?: string | null
  kind?: Manifest['kind']
  /** Encrypt with this passphrase (AES-256-GCM, scrypt key). */
  passphrase?: string
  method?: SnapshotMethod
}

/*
 * gzip rather than brotli: at the speeds that keep a nightly backup of a large file
 * quick (gzip level 6 against brotli quality 4–5) the two compress a SQLite file about
 * equally, and a .db.gz opens with `gunzip` on any machine, without crm, on the worst
 * day. Level 6 (zlib's default) is the knee: higher levels cost much more time for
 * little gain. Figures in docs/benchmarks.md, "Backups".
 */
const GZIP_LEVEL = 6

/**
 * Takes a consistent, checked, compressed (and optionally encrypted) backup of a live
 * database: snapshot into a temporary file in the backup folder, `quick_check` it,
 * stream it through gzip (and AES-GCM) into another temporary file while hashing,
 * fsync, rename into place, then write the manifest the same way and fsync the folder.
 * A crash at any point leaves at worst a `.tmp` file that the next run ignores.
 */
export async function createBackup(source: BackupSource, options: CreateBackupOptions = {}): Promise<Manifest & { path: string; dir: string }> {
  const dir = options.dir ?? defaultBackupDir(source.path)
  ensurePrivateDir(dir)
  return withBackupLock(dir, async () => {
    const at = now()
    const id = newBackupId(dir, at)
    const snapshotPath = join(dir, `.${id}.snapshot.tmp`)
    const file = `${id}${options.passphrase ? '.db.gz.enc' : '.db.gz'}`
    const finalPath = join(dir, file)
    const partPath = `${finalPath}.tmp`
    try {
      await snapshotDatabase(source.sqlite, snapshotPath, options.method)
      const info = inspectDatabase(snapshotPath)
      const dbHash = createHash('sha256')
      const fileHash = createHash('sha256')
      let dbBytes = 0
      let fileBytes = 0
      const encrypt = options.passphrase ? await encryptStage(options.passphrase) : plainStage
      await pipeline(
        createReadStream(snapshotPath, { highWaterMark: 1 << 20 }),
        async function* hashPlain(src: AsyncIterable<Buffer>) {
          for await (const chunk of src) {
            dbHash.update(chunk)
            dbBytes += chunk.length
            yield chunk
          }
        },
        createGzip({ level: GZIP_LEVEL, memLevel: 9, chunkSize: 1 << 16, strategy: zlib.Z_DEFAULT_STRATEGY }),
        encrypt,
        async function* hashStored(src: AsyncIterable<Buffer>) {
          for await (const chunk of src) {
            fileHash.update(chunk)
            fileBytes += chunk.length
            yield chunk
          }
        },
        createWriteStream(partPath, { mode: 0o600 }),
      )
      chmodSync(partPath, 0o600)
      fsyncFile(partPath)
      renameSync(partPath, finalPath)
      fsyncDir(dir)
      const manifest: Manifest = {
        format: 1,
        id,
        createdAt: at.toISOString(),
        kind: options.kind ?? 'manual',
        note: options.note ?? null,
        source: resolve(source.path),
        schemaVersion: info.schemaVersion,
        tables: info.tables,
        file,
        fileBytes,
        sha256: fileHash.digest('hex'),
        dbBytes,
        dbSha256: dbHash.digest('hex'),
        compression: 'gzip',
        encryption: options.passphrase ? 'aes-256-gcm+scrypt' : null,
        quickCheck: 'ok',
        verified: null,
      }
      writeManifest(dir, manifest)
      return { ...manifest, path: finalPath, dir }
    } catch (err) {
      rmSync(partPath, { force: true })
      if (!existsSync(join(dir, `${id}.json`))) rmSync(finalPath, { force: true })
      throw err
    } finally {
      rmSync(snapshotPath, { force: true })
    }
  })
}

/** Creates the backup folder with mode 0700 (and tightens an existing one). */
export function ensurePrivateDir(dir: string): void {
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
}

/**
 * A backup taken automatically before destructive work (merge, forget, bulk rm,
 * restore, a schema migration), into the default folder with kind `safety` and the
 * reason as its note. Pruned by the same retention as every other backup.
 *
 * Example: `await safetyBackup(crm, 'before merge 12 into 7')` at the top of a merge.
 */
export async function safetyBackup(
  crm: { readonly kind: string; readonly path: string; readonly sqlite?: BetterSqlite3.Database },
  reason: string,
): Promise<(Manifest & { path: string }) | null> {
  // PostgreSQL has its own tools (pg_dump); the file backups are for SQLite.
  if (crm.kind !== 'sqlite' || !crm.sqlite) return null
  // Unencrypted on purpose: they sit beside the database, which is no less exposed.
  return createBackup({ path: crm.path, sqlite: crm.sqlite }, { kind: 'safety', note: reason })
}
