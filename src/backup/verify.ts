import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { now } from '../clock.js'
import { CrmError } from '../errors.js'
import { extractBackup } from './extract.js'
import { withBackupLock } from './lock.js'
import { writeManifest, type Manifest } from './manifest.js'
import { inspectDatabase } from './snapshot.js'

export interface VerifyOptions {
  passphrase?: string
  /** `integrity_check` and `foreign_key_check` instead of `quick_check` (minutes on a large file). */
  full?: boolean
}

export interface VerifyResult {
  id: string
  ok: boolean
  error: string | null
}

/**
 * Checks one backup end to end: the stored file's SHA-256, decryption, decompression,
 * the inner database's SHA-256, `quick_check` (or the full checks), and every table's
 * row count against the manifest. Records the outcome in the manifest, so `list` shows
 * it and `prune` knows which backup is the newest good one.
 */
export async function verifyBackup(dir: string, manifest: Manifest, options: VerifyOptions = {}): Promise<VerifyResult> {
  return withBackupLock(dir, async () => {
    const temp = join(dir, `.${manifest.id}.verify.tmp`)
    let error: string | null = null
    try {
      await extractBackup(dir, manifest, temp, options.passphrase, { durable: false })
      const info = inspectDatabase(temp, { full: options.full })
      error = compareCounts(manifest.tables, info.tables)
    } catch (err) {
      if (!(err instanceof CrmError)) throw err
      // A missing passphrase is the caller's mistake, not the backup's fault.
      if (/is encrypted: set/.test(err.message)) throw err
      error = err.message.replace(`backup ${manifest.id}: `, '')
    } finally {
      rmSync(temp, { force: true })
    }
    return recordVerification(dir, manifest, error, Boolean(options.full))
  })
}

/**
 * Writes a verification's outcome into the backup's manifest (so `list` shows it and `prune`
 * knows the newest good backup) and returns it. A wrong passphrase says nothing about the
 * backup: it is not recorded as a failure.
 */
export function recordVerification(dir: string, manifest: Manifest, error: string | null, full: boolean): VerifyResult {
  if (error === null || !/wrong passphrase/.test(error)) {
    writeManifest(dir, { ...manifest, verified: { at: now().toISOString(), ok: error === null, full, error } })
  }
  return { id: manifest.id, ok: error === null, error }
}

/** The first difference between the manifest's row counts and the copy's, or null. */
export function compareCounts(expected: Record<string, number>, actual: Record<string, number>): string | null {
  for (const [table, count] of Object.entries(expected)) {
    if (!(table in actual)) return `table ${table} is missing from the copy`
    if (actual[table] !== count) return `table ${table} has ${actual[table]} rows, the manifest says ${count}`
  }
  for (const table of Object.keys(actual)) {
    if (!(table in expected)) return `table ${table} is in the copy but not in the manifest`
  }
  return null
}
