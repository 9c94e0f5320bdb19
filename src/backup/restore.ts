import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { now } from '../clock.js'
import { knownMigrations } from '../db/migrate.js'
import { CrmError } from '../errors.js'
import { safetyBackup } from './createBackup.js'
import { fsyncDir } from './durable.js'
import { extractBackup } from './extract.js'
import { withBackupLock } from './lock.js'
import type { Manifest } from './manifest.js'
import { inspectDatabase } from './snapshot.js'
import { compareCounts } from './verify.js'

/** Points a restore passes; a test can stop the process at each (CRM_TEST_PAUSE_RESTORE). */
export type RestoreStep = 'extracted' | 'locked' | 'renamed'

export interface RestoreOptions {
  /** The live database (replaced), unless `to` is given. */
  dbPath: string
  /** Restore into this new file instead; the live database is not touched. */
  to?: string
  passphrase?: string
  onStep?: (step: RestoreStep) => Promise<void>
}

export interface RestoreResult {
  target: string
  safety: Manifest | null
  /** Where a live database too damaged to back up was copied before being replaced. */
  setAside: string | null
}

/**
 * Restores a backup. It is unpacked and fully verified beside the target first, then:
 * - with `to`: renamed into that new path;
 * - otherwise: a safety backup of the live database is taken, the live database is
 *   locked exclusively and switched out of WAL (which checkpoints it and deletes its
 *   -wal; this fails when another process has it open), the -wal/-shm files are removed
 *   (a stale WAL would be replayed over the restored file and silently undo the
 *   restore), and the verified file is renamed over it, then the folder fsynced.
 * A kill at any moment leaves the old database or the new one, complete, never a mix.
 */
export async function restoreBackup(dir: string, manifest: Manifest, options: RestoreOptions): Promise<RestoreResult> {
  const target = options.to ?? options.dbPath
  const step = options.onStep ?? (async () => {})
  if (options.to && existsSync(options.to)) {
    throw new CrmError(`${options.to} already exists; restore into a new path (or remove it first)`)
  }
  if (manifest.schemaVersion && !knownMigrations().includes(manifest.schemaVersion)) {
    throw new CrmError(`backup ${manifest.id} was written by a newer crm (schema ${manifest.schemaVersion}); upgrade crm to restore it`)
  }
  return withBackupLock(dir, async () => {
    const folder = dirname(target)
    if (!existsSync(folder)) mkdirSync(folder, { recursive: true, mode: 0o700 })
    // One fixed name: a restore killed earlier leaves this file, the next one replaces it.
    const temp = join(folder, `.${basename(target)}.restore.tmp`)
    try {
      await extractBackup(dir, manifest, temp, options.passphrase)
      const problem = compareCounts(manifest.tables, inspectDatabase(temp).tables)
      if (problem) throw new CrmError(`backup ${manifest.id}: ${problem}; nothing was restored`)
      chmodSync(temp, 0o600)
      await step('extracted')
      if (options.to || !existsSync(target)) {
        renameSync(temp, target)
        fsyncDir(folder)
        return { target, safety: null, setAside: null }
      }
      return await replaceLive(target, temp, manifest, step)
    } finally {
      rmSync(temp, { force: true })
    }
  })
}

async function replaceLive(target: string, temp: string, manifest: Manifest, step: (s: RestoreStep) => Promise<void>): Promise<RestoreResult> {
  const live = new BetterSqlite3(target, { fileMustExist: true, timeout: 5000 })
  try {
    let safety: Manifest | null = null
    let setAside: string | null = null
    try {
      safety = await safetyBackup({ kind: 'sqlite', path: target, sqlite: live }, `before restore of ${manifest.id}`)
    } catch (err) {
      if (!isDamage(err)) throw err
      // The usual reason to restore: the live file is damaged and cannot be backed up
      // by SQLite. Keep its bytes anyway, next to it, before replacing it.
      setAside = `${target}.damaged-${now().toISOString().replace(/[-:.]/g, '')}`
      copyFileSync(target, setAside)
      chmodSync(setAside, 0o600)
      if (existsSync(`${target}-wal`)) copyFileSync(`${target}-wal`, `${setAside}-wal`)
    }
    if (!setAside) lockExclusively(live, target)
    await step('locked')
    rmSync(`${target}-wal`, { force: true })
    rmSync(`${target}-shm`, { force: true })
    renameSync(temp, target)
    fsyncDir(dirname(target))
    await step('renamed')
    return { target, safety, setAside }
  } finally {
    live.close()
  }
}

/**
 * Takes the live database out of WAL mode under an exclusive lock held until close:
 * SQLite checkpoints the WAL into the main file and deletes it, and refuses when any
 * other connection is open, so no other crm process is writing while it is replaced.
 */
function lockExclusively(live: BetterSqlite3.Database, target: string): void {
  try {
    live.pragma('locking_mode = EXCLUSIVE')
    const mode = live.pragma('journal_mode = DELETE', { simple: true }) as string
    if (mode !== 'delete') throw Object.assign(new Error(`journal mode stayed ${mode}`), { code: 'SQLITE_BUSY' })
    live.exec('BEGIN EXCLUSIVE; COMMIT')
  } catch (err) {
    const code = (err as { code?: string }).code ?? ''
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new CrmError(`${target}: another crm process is using the database; restore when it has finished (nothing was changed)`, 1, { cause: err })
    }
    throw err
  }
}

function isDamage(err: unknown): boolean {
  const code = (err as { code?: string }).code ?? ''
  if (code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB')) return true
  return err instanceof CrmError && /quick_check failed|damaged|cannot be opened/.test(err.message)
}
