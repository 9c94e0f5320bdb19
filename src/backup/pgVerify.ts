import { randomBytes } from 'node:crypto'
import { CrmError } from '../errors.js'
import { withBackupLock } from './lock.js'
import type { Manifest } from './manifest.js'
import { listArchive, maintenance, restoreArchive, restoreTool, withArchive } from './pgArchive.js'
import { createDatabaseLike, describeDatabase, dropDatabase, parsePgTarget, withClient, withDatabase } from './pgServer.js'
import { compareCounts, recordVerification, type VerifyResult } from './verify.js'

export interface PgVerifyOptions {
  passphrase?: string
  /** A database URL on the server to verify on: a scratch database is made there. */
  server: string
}

/**
 * Checks a PostgreSQL backup end to end: the stored file's SHA-256 (and decryption),
 * `pg_restore --list`, then a restore into a scratch database on the server (created,
 * restored in one transaction, every table counted against the manifest, dropped).
 * Records the outcome in the manifest like the SQLite check.
 */
export async function verifyPgBackup(dir: string, manifest: Manifest, options: PgVerifyOptions): Promise<VerifyResult> {
  const server = parsePgTarget(options.server)
  return withBackupLock(dir, async () => {
    let error: string | null = null
    try {
      const pgRestore = await restoreTool(server)
      await withArchive(dir, manifest, options.passphrase, async (archive) => {
        const label = `backup ${manifest.id}`
        await listArchive(pgRestore, archive, label)
        const scratch = withDatabase(server, `crm_verify_${randomBytes(6).toString('hex')}`)
        const admin = await maintenance(server)
        await withClient(admin, (c) => createDatabaseLike(c, scratch.database, null)).catch((err: Error) => {
          throw new CrmError(`cannot create a scratch database on ${server.shown} to verify into (${err.message}); the role needs CREATEDB`, 1, { cause: err })
        })
        try {
          // Roles and grants may not exist on the verifying server: the data is what counts.
          await restoreArchive(pgRestore, archive, scratch, label, ['--no-owner', '--no-privileges'])
          const restored = await withClient(scratch, describeDatabase)
          error = compareCounts(manifest.tables, restored.tables)
        } finally {
          await withClient(admin, (c) => dropDatabase(c, scratch.database))
        }
      })
    } catch (err) {
      if (!(err instanceof CrmError)) throw err
      // Tools missing, a server that cannot be reached, a missing passphrase: the
      // backup is not at fault; say so without recording a failure.
      if (/is encrypted: set|not found: install|is older than the PostgreSQL|cannot connect|cannot create a scratch/.test(err.message)) throw err
      error = err.message.replace(`backup ${manifest.id}: `, '')
    }
    return recordVerification(dir, manifest, error, false)
  })
}
