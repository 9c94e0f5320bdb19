import { homedir } from 'node:os'
import { join } from 'node:path'

// Apart from config.ts (which loads zod for the schema): the quick `query --count` asks
// only whether a config file exists, and validates it through config.ts when it does.

/** `$XDG_CONFIG_HOME/crm/config.json`, or `~/.config/crm/config.json`; CRM_CONFIG overrides. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CRM_CONFIG) return env.CRM_CONFIG
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config')
  return join(base, 'crm', 'config.json')
}
