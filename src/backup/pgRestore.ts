import { knownMigrations } from '../db/migrate.js'
import { CrmError } from '../errors.js'
import { withBackupLock } from './lock.js'
import type { Manifest } from './manifest.js'
import { createPgBackup } from './pgBackup.js'
import { listArchive, maintenance, restoreArchive, restoreTool, withArchive } from './pgArchive.js'
import {
  createDatabaseLike,
  databaseExists,
  derivedName,
  describeDatabase,
  dropDatabase,
  parsePgTarget,
  quoteIdent,
  sessionsOn,
  withClient,
  withDatabase,
  type PgTarget,
} from './pgServer.js'
import type { RestoreResult, RestoreStep } from './restore.js'
import { compareCounts } from './verify.js'

export interface PgRestoreOptions {
  /** The live database (replaced), unless `to` is given. */
  url: string
  /** Restore into this other database instead (new, or existing and empty); the live one is not touched. */
  to?: string
  passphrase?: string
  onStep?: (step: RestoreStep) => Promise<void>
}

/**
 * Restores a PostgreSQL backup. The archive is checked (SHA-256, `pg_restore --list`)
 * and restored into a new staging database beside the live one, in one transaction,
 * and its row counts compared with the manifest. Only then is a safety backup of the
 * live database taken, and the two are swapped by renaming both databases inside one
 * transaction; the old one is dropped afterwards.
 *
 * Why a new database and a rename rather than `pg_restore --clean --single-transaction`
 * over the live one: `--clean` drops only what the archive holds, so a table made by a
 * later migration would survive beside the restored ones (a mix); the live tables would
 * be locked for the whole restore; and a failure half way must be undone by the server.
 * Here the live database is not touched until one atomic rename, so a kill or an error
 * at any moment leaves the old database or the new one, whole. PostgreSQL refuses the
 * rename while another session is connected: then nothing changes and the restore says so.
 */
export async function restorePgBackup(dir: string, manifest: Manifest, options: PgRestoreOptions): Promise<RestoreResult> {
  const live = parsePgTarget(options.to ?? options.url)
  const step = options.onStep ?? (async () => {})
  const label = `backup ${manifest.id}`
  if (manifest.schemaVersion && !knownMigrations().includes(manifest.schemaVersion)) {
    throw new CrmError(`${label} was written by a newer crm (schema ${manifest.schemaVersion}); upgrade crm to restore it`)
  }
  return withBackupLock(dir, async () => {
    const admin = await maintenance(live)
    const pgRestore = await restoreTool(admin)
    return withArchive(dir, manifest, options.passphrase, async (archive) => {
      await listArchive(pgRestore, archive, label)
      if (options.to) return restoreInto(pgRestore, archive, live, admin, manifest)

      const staging = withDatabase(live, derivedName(live.database, '_crm_restore'))
      const old = derivedName(live.database, '_crm_old')
      const liveExists = await withClient(admin, async (c) => {
        // Leftovers of a restore killed earlier: the staging copy was never live, and the
        // old database was swapped out after its safety backup was taken.
        await dropDatabase(c, staging.database)
        await dropDatabase(c, old)
        const exists = await databaseExists(c, live.database)
        // The rename at the end needs the live database to itself: say so now rather than
        // after the whole restore (the rename itself still refuses a session that comes later).
        const others = await sessionsOn(c, live.database)
        if (others > 0) throw busy(live, others)
        await createDatabaseLike(c, staging.database, exists ? live.database : null)
        return exists
      })
      try {
        await restoreArchive(pgRestore, archive, staging, label)
        const problem = compareCounts(manifest.tables, (await withClient(staging, describeDatabase)).tables)
        if (problem) throw new CrmError(`${label}: ${problem}; nothing was restored`)
        await step('extracted')
        // Into the database's default folder, as on SQLite, wherever the restored backup came from.
        const safety = liveExists ? await createPgBackup(live.url, { kind: 'safety', note: `before restore of ${manifest.id}` }) : null
        await step('locked')
        await withClient(admin, async (c) => {
          await c.query('begin')
          try {
            if (liveExists) await c.query(`alter database ${quoteIdent(live.database)} rename to ${quoteIdent(old)}`)
            await c.query(`alter database ${quoteIdent(staging.database)} rename to ${quoteIdent(live.database)}`)
            await c.query('commit')
          } catch (err) {
            await c.query('rollback').catch(() => {})
            if ((err as { code?: string }).code === '55006') throw busy(live, null, err)
            throw err
          }
        })
        await step('renamed')
        await withClient(admin, (c) => dropDatabase(c, old))
        return { target: live.shown, safety, setAside: null }
      } catch (err) {
        await withClient(admin, (c) => dropDatabase(c, staging.database)).catch(() => {})
        throw err
      }
    })
  })
}

function busy(live: PgTarget, sessions: number | null, cause?: unknown): CrmError {
  const who = sessions && sessions > 1 ? `${sessions} other sessions are` : 'another session is'
  return new CrmError(`${live.shown}: ${who} connected to the database; restore when they have finished (nothing was changed)`, 1, { cause })
}

/** `restore --to URL`: into a database that does not exist yet (created) or is empty. */
async function restoreInto(pgRestore: string, archive: string, to: PgTarget, admin: PgTarget, manifest: Manifest): Promise<RestoreResult> {
  const label = `backup ${manifest.id}`
  const created = await withClient(admin, async (c) => {
    if (!(await databaseExists(c, to.database))) {
      await createDatabaseLike(c, to.database, null)
      return true
    }
    return false
  })
  try {
    if (!created) {
      const present = Object.keys((await withClient(to, describeDatabase)).tables)
      if (present.length > 0) throw new CrmError(`${to.shown} is not empty (table ${present[0]}); restore into a new or empty database`)
    }
    await restoreArchive(pgRestore, archive, to, label)
    const problem = compareCounts(manifest.tables, (await withClient(to, describeDatabase)).tables)
    if (problem) throw new CrmError(`${label}: ${problem}; the restored copy in ${to.shown} does not match`)
    return { target: to.shown, safety: null, setAside: null }
  } catch (err) {
    if (created) await withClient(admin, (c) => dropDatabase(c, to.database)).catch(() => {})
    throw err
  }
}
