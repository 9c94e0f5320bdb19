import type BetterSqlite3 from 'better-sqlite3'

/**
 * Schema migrations rewrite tables: keep the database as it was, in its backups folder.
 * When a migration fails it rolls back and every later command tries again; the database
 * is then still in the state the last safety backup kept (same reason, same schema, same
 * row counts), so that backup stands instead of a new copy of a possibly large file per try.
 */
export async function safetyBackupBeforeMigration(db: { path: string; sqlite: BetterSqlite3.Database }, pending: string[]): Promise<void> {
  const { safetyBackup, listManifests, defaultBackupDir } = await import('../backup/index.js')
  const reason = `before migration ${pending.join(', ')}`
  const newest = listManifests(defaultBackupDir(db.path))[0]
  if (newest && newest.kind === 'safety' && newest.note === reason && sameState(db.sqlite, newest)) return
  await safetyBackup({ kind: 'sqlite', ...db }, reason)
}

function sameState(sqlite: BetterSqlite3.Database, kept: { schemaVersion: string | null; tables: Record<string, number> }): boolean {
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
