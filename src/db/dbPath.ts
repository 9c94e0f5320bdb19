import { homedir } from 'node:os'
import { join } from 'node:path'

/** `--db`, else CRM_DB, else `$XDG_DATA_HOME/crm/crm.db` (`~/.local/share/crm/crm.db`). */
export function resolveDbPath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (flag) return flag
  if (env.CRM_DB) return env.CRM_DB
  const base = env.XDG_DATA_HOME || join(homedir(), '.local', 'share')
  return join(base, 'crm', 'crm.db')
}

export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target)
}
