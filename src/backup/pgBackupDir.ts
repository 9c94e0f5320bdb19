import { homedir } from 'node:os'
import { join } from 'node:path'

/**
 * Where backups of a PostgreSQL database go when --to/--backups does not say: there is
 * no database file to put `backups/` beside, so under crm's data folder, one folder per
 * server and database: `$XDG_DATA_HOME/crm/backups/<host>-<port>-<dbname>/`
 * (`~/.local/share/crm/backups/127.0.0.1-5432-shop/`). Kept apart from pgServer.ts so
 * the CLI can name the folder without loading anything.
 */
export function pgBackupDir(url: string, env: NodeJS.ProcessEnv = process.env): string {
  let host = 'localhost'
  let port = '5432'
  let database = ''
  try {
    const u = new URL(url)
    host = u.hostname || u.searchParams.get('host') || host
    port = u.port || port
    database = decodeURIComponent(u.pathname.replace(/^\//, ''))
  } catch {
    // parsePgTarget reports a bad URL where it is used; name a folder anyway
  }
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share')
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_')
  return join(base, 'crm', 'backups', `${safe(host)}-${safe(port)}-${safe(database || 'postgres')}`)
}
