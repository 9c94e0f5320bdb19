import type BetterSqlite3 from 'better-sqlite3'
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
  if (newest && newest.kind === 'safety' && newest.note === reason) {
    const same = db.kind === 'postgres' ? await samePgState(db.url, newest) : sameState(db.sqlite, newest)
    if (same) return
  }
  await safetyBackup(db.kind === 'postgres' ? db : { ...db, kind: 'sqlite' }, reason)
}

function sameState(sqlite: BetterSqlite3.Database, kept: KeptState): boolean {
  const names = sqlite
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`)
    .pluck()
    .all() as string[]
  if (names.length !== Object.keys(kept.tables).length) return false
  for (const name of names) {
    if (kept.tables[name] !== sqlite.prepare(`select count(*) from "${name.replace(/"/g, '""')}"`).pluck().get()) return false
  }
  const version = names.includes('kysely_migration') ? (sqlite.prepare('select max(name) from kysely_migration').pluck().get() as string | null) : null
  return version === kept.schemaVersion
}

async function samePgState(url: string, kept: KeptState): Promise<boolean> {
  const { describeDatabase, parsePgTarget, withClient } = await import('../backup/pgServer.js')
  const now = await withClient(parsePgTarget(url), describeDatabase)
  const names = Object.keys(now.tables)
  return (
    now.schemaVersion === kept.schemaVersion &&
    names.length === Object.keys(kept.tables).length &&
    names.every((n) => kept.tables[n] === now.tables[n])
  )
}
