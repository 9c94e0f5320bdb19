import type { Command } from 'commander'
import type { Config } from '../config/config.js'
import { translateSqliteError } from '../db/dbErrors.js'
import { resolveDbPath } from '../db/dbPath.js'
import type { CrmDb, OpenOptions } from '../db/openDb.js'
import { setQuiet } from './messages.js'
import { safetyBackupBeforeMigration } from './migrationBackup.js'

export interface GlobalOptions {
  db?: string
  quiet?: boolean
}

export interface CommandContext {
  crm: CrmDb
  config: Config
  global: GlobalOptions
}

/** The global flags, wherever they were given on the command line. */
export function globalOptions(cmd: Command): GlobalOptions {
  const g = cmd.optsWithGlobals() as GlobalOptions
  setQuiet(Boolean(g.quiet))
  return g
}

/**
 * Opens the database for one command, runs it, and always closes it. The config (zod) and
 * the database code (Kysely, better-sqlite3) load here, when a command runs, not when its
 * module loads: `crm config get` and `crm CMD --help` need neither.
 */
export async function withDb<T>(cmd: Command, fn: (ctx: CommandContext) => Promise<T>, open: OpenOptions = {}): Promise<T> {
  const global = globalOptions(cmd)
  const { loadConfig } = await import('../config/config.js')
  const { openDb } = await import('../db/openDb.js')
  const config = loadConfig()
  const target = resolveDbPath(global.db)
  const crm = await openDb(target, { beforeMigrate: safetyBackupBeforeMigration, ...open })
  try {
    return await fn({ crm, config, global })
  } catch (err) {
    throw translateSqliteError(err, target)
  } finally {
    await crm.close()
  }
}
