import { dirname, join } from 'node:path'
import type { Command } from 'commander'
import { pgBackupDir } from '../backup/pgBackupDir.js'
import { isPostgresUrl, resolveDbPath } from '../db/dbPath.js'
import { globalOptions } from './context.js'

// Shared by `crm backup` and `crm restore`, apart from both so neither loads the other.

/**
 * `--backups DIR`, else `backups/` beside the database from --db/CRM_DB/XDG; for a
 * PostgreSQL URL, `$XDG_DATA_HOME/crm/backups/HOST-PORT-DB/`.
 */
export function backupDir(cmd: Command, flag: string | undefined): string {
  const g = globalOptions(cmd)
  if (flag) return flag
  const target = resolveDbPath(g.db)
  return isPostgresUrl(target) ? pgBackupDir(target) : join(dirname(target), 'backups')
}
