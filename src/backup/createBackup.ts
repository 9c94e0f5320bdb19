import { chmodSync, createReadStream, createWriteStream, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type BetterSqlite3 from 'better-sqlite3'
import { now } from '../clock.js'
import { CrmError } from '../errors.js'
import { encryptStage, plainStage } from './crypto.js'
import { commitBackup, commonManifestFields, discardBackup } from './commitBackup.js'
import { lockWait, withBackupLock } from './lock.js'
import { measure } from './measure.js'
import { parallelGzip } from './parallelGzip.js'
import { defaultBackupDir, newBackupId, type Manifest } from './manifest.js'
import { checkedSnapshot } from './checkedSnapshot.js'
import type { SnapshotMethod } from './snapshot.js'

/**
 * The database to back up, by path: the backup reads it over connections of its own. The
 * caller keeps its own connection open meanwhile, which keeps a WAL database's -wal and -shm
 * files in place for those read-only connections.
 */
export interface BackupSource {
  readonly path: string
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
 * gzip level 1, in 8 MiB blocks on every core (parallelGzip). Measured on a 1.2 GB database
 * (docs/benchmarks.md, "Backups"): level 1 wrote 33% of the file in 39 s, level 6 30% in
 * 104 s, level 9 29.5% in 169 s, brotli quality 4 25.5% in 125 s (one stream each, loaded
 * machine). Level 1 is 2.7× faster than the default for 10% more bytes; brotli's smaller
 * files cost 3× the time. And a .db.gz opens with `gunzip` on any machine, without crm, on
 * the worst day.
 */
const GZIP_LEVEL = 1

/**
 * Takes a consistent, checked, compressed (and optionally encrypted) backup of a live
 * database: snapshot into a temporary file in the backup folder, `quick_check` the snapshot,
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
      // The check runs beside the copy, or beside the compression when it must read the
      // copy (checkedSnapshot); nothing is kept unless both succeed.
      const { checked: checking, checkedOn } = await checkedSnapshot(source.path, snapshotPath, options.method)
      const plain = measure()
      const stored = measure()
      const encrypt = options.passphrase ? await encryptStage(options.passphrase) : plainStage
      const compressing = pipeline(
        createReadStream(snapshotPath, { highWaterMark: 8 << 20 }),
        plain.stage,
        parallelGzip({ level: GZIP_LEVEL }),
        encrypt,
        stored.stage,
        createWriteStream(partPath, { mode: 0o600 }),
      )
      const [checked, compressed] = await Promise.allSettled([checking, compressing])
      if (checked.status === 'rejected') {
        const reason = checked.reason as Error
        throw new CrmError(`the snapshot of ${source.path} failed its check: ${reason.message}; no backup was kept`, 1, { cause: reason })
      }
      if (compressed.status === 'rejected') throw compressed.reason
      const info = checked.value
      return commitBackup(dir, partPath, finalPath, {
        ...commonManifestFields(id, at, options),
        source: resolve(source.path),
        schemaVersion: info.schemaVersion,
        tables: info.tables,
        checkedOn,
        file,
        fileBytes: stored.bytes(),
        sha256: stored.sha256(),
        dbBytes: plain.bytes(),
        dbSha256: plain.sha256(),
        compression: 'gzip',
      })
    } catch (err) {
      discardBackup(dir, id, partPath, finalPath)
      throw err
    } finally {
      rmSync(snapshotPath, { force: true })
    }
  }, lockWait(options.kind))
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
 * On PostgreSQL it is a pg_dump archive in `pgBackupDir(url)`; without pg_dump the
 * destructive command stops with the message saying how to install it.
 *
 * Example: `await safetyBackup(crm, 'before merge 12 into 7')` at the top of a merge.
 */
export async function safetyBackup(
  crm: { readonly kind: string; readonly path: string; readonly sqlite?: BetterSqlite3.Database; readonly url?: string },
  reason: string,
): Promise<(Manifest & { path: string }) | null> {
  if (crm.kind === 'postgres' && crm.url) {
    const { createPgBackup } = await import('./pgBackup.js')
    return createPgBackup(crm.url, { kind: 'safety', note: reason })
  }
  if (crm.kind !== 'sqlite' || !crm.sqlite) return null
  // Unencrypted on purpose: they sit beside the database, which is no less exposed.
  return createBackup({ path: crm.path }, { kind: 'safety', note: reason })
}
