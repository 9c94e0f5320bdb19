import type { OpenOptions } from '../db/openDb.js'

type KeptState = { schemaVersion: string | null; tables: Record<string, number> }

/**
 * Schema migrations rewrite tables: keep the database as it was, in its backups folder
 * (beside the file; for PostgreSQL a pg_dump archive in its default folder).
 * When a migration fails it rolls back and every later command tries again; the database
 * is then still in the state the last safety backup kept (same reason, same schema, same
 * row counts), so that backup stands instead of a new copy of a possibly large file per try.
 */
export const safetyBackupBeforeMigration: NonNullable<OpenOptions['beforeMigrate']> = async (db, pending) => {
  const { safetyBackup, listManifests, defaultBackupDir, pgBackupDir } = await import('../backup/index.js')
  const reason = `before migration ${pending.join(', ')}`
  const newest = listManifests(db.kind === 'postgres' ? pgBackupDir(db.url) : defaultBackupDir(db.path))[0]
  if (newest && newest.kind === 'safety' && newest.note === reason && sameState(await describe(db), newest)) return
  await safetyBackup(db.kind === 'postgres' ? db : { ...db, kind: 'sqlite' }, reason)
}

/** The database's row counts and schema version now, as a manifest records them. */
async function describe(db: Parameters<typeof safetyBackupBeforeMigration>[0]): Promise<KeptState> {
  if (db.kind === 'postgres') {
    const { describeDatabase, parsePgTarget, withClient } = await import('../backup/pgServer.js')
    return withClient(parsePgTarget(db.url), describeDatabase)
  }
  const { describeTables } = await import('../backup/snapshot.js')
  return describeTables(db.sqlite)
}

function sameState(now: KeptState, kept: KeptState): boolean {
  const names = Object.keys(now.tables)
  return (
    now.schemaVersion === kept.schemaVersion &&
    names.length === Object.keys(kept.tables).length &&
    names.every((n) => kept.tables[n] === now.tables[n])
  )
}
