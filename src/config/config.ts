import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { CrmError, UsageError } from '../errors.js'
import { configPath } from './configPath.js'

/** The shop's settings: defaults for phone numbers, addresses, money, dates and labels. */
export const ConfigSchema = z.object({
  /** ISO 3166 alpha-2: default country for phone numbers and addresses. */
  country: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as US').default('US'),
  /** ISO 4217: the base currency money filters and reports use. */
  currency: z.string().regex(/^[A-Z]{3}$/, 'a three-letter currency code such as USD').default('USD'),
  /** IANA time zone: where "today" and "the last 30 days" begin and end. */
  timezone: z.string().default('UTC'),
  /** The sender's address, printed on labels' return line and used to omit the home country. */
  sender: z
    .object({
      name: z.string().optional(),
      street: z.string().optional(),
      city: z.string().optional(),
      region: z.string().optional(),
      postal_code: z.string().optional(),
      country: z.string().optional(),
    })
    .default({}),
  /** Label printer calibration in millimetres. */
  label_offset_x: z.number().default(0),
  label_offset_y: z.number().default(0),
  /** How dates like 03/04/2025 are read on import when not given: mdy or dmy. */
  date_format: z.enum(['mdy', 'dmy', 'ymd']).default('mdy'),
})
export type Config = z.infer<typeof ConfigSchema>

export { configPath }

export function loadConfig(path = configPath()): Config {
  let raw: unknown = {}
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CrmError(`${path}: cannot read the config file: ${(err as Error).message}`)
    }
  }
  const parsed = ConfigSchema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new CrmError(`${path}: ${issue?.path.join('.')}: ${issue?.message}`)
  }
  return parsed.data
}

function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

/** Sets one key (dotted for nested keys: sender.city); numbers are parsed for numeric keys. */
export function setConfigValue(key: string, value: string, path = configPath()): Config {
  const current = loadConfig(path) as Record<string, unknown>
  const parts = key.split('.')
  const known = ConfigSchema.shape as Record<string, unknown>
  if (!(parts[0]! in known)) {
    throw new UsageError(`unknown config key "${key}" (known: ${Object.keys(known).join(', ')})`)
  }
  if (key === 'timezone' && !isValidTimeZone(value)) {
    throw new UsageError(`"${value}" is not a time zone (try Europe/Berlin or America/New_York)`)
  }
  let target = current
  for (const p of parts.slice(0, -1)) {
    target[p] = { ...((target[p] as Record<string, unknown>) ?? {}) }
    target = target[p] as Record<string, unknown>
  }
  const last = parts[parts.length - 1]!
  const numeric = key.startsWith('label_offset')
  const upper = key === 'country' || key === 'currency' || key === 'sender.country'
  target[last] = numeric ? Number(value) : upper ? value.toUpperCase() : value
  const parsed = ConfigSchema.safeParse(current)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new UsageError(`${key}: ${issue?.message}`)
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 })
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, JSON.stringify(parsed.data, null, 2) + '\n', { mode: 0o600 })
  chmodSync(tmp, 0o600)
  renameSync(tmp, path)
  return parsed.data
}

/** Reads one key, dotted for nested keys. */
export function getConfigValue(config: Config, key: string): unknown {
  let v: unknown = config
  for (const p of key.split('.')) {
    if (v == null || typeof v !== 'object' || !(p in v)) throw new UsageError(`unknown config key "${key}"`)
    v = (v as Record<string, unknown>)[p]
  }
  return v
}
