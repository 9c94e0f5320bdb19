import { existsSync } from 'node:fs'
import { configPath } from '../config/configPath.js'
import { translateSqliteError } from '../db/dbErrors.js'
import { resolveDbPath, isPostgresUrl } from '../db/dbPath.js'
import { openSqliteFile } from '../db/openSqliteFile.js'
import { setQuiet, writeOut } from './messages.js'
import type { QuickCountRequest } from './quickCountRequest.js'

/**
 * How many customers there are, for exactly `crm [--db PATH] [-q] query|filter --count` on
 * an existing SQLite file whose schema is current: better-sqlite3 and one select, without
 * commander, Kysely or zod (issue 18: a count on a small database should start about as
 * fast as Node). Returns false, having written nothing, whenever the general path must
 * answer instead: a PostgreSQL URL, a file not made yet, a migration to apply.
 * A config file is checked by the same loadConfig() as every other command, so a bad
 * value gets the same message here.
 */
export async function quickCount(request: QuickCountRequest): Promise<boolean> {
  const target = resolveDbPath(request.db)
  if (isPostgresUrl(target) || !existsSync(target)) return false
  if (existsSync(configPath())) (await import('../config/config.js')).loadConfig()
  setQuiet(request.quiet)
  const { sqlite, pending } = openSqliteFile(target)
  let count: number
  try {
    if (pending.length > 0) return false
    count = sqlite.prepare(COUNT_ALL).pluck().get() as number
  } catch (err) {
    throw translateSqliteError(err, target)
  } finally {
    sqlite.close()
  }
  await writeOut(`${count}\n`)
  return true
}

/** What countCustomers() runs for an empty filter: erased customers are never counted. */
const COUNT_ALL = 'select count(*) from customers where customers.forgotten_at is null'
