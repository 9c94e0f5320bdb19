import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { CrmError } from '../errors.js'
import { writeFileDurably } from './durable.js'

/** The result of the last `crm backup verify` of a backup. */
export const Verification = z.object({
  at: z.string(),
  ok: z.boolean(),
  full: z.boolean(),
  error: z.string().nullable(),
})
export type Verification = z.infer<typeof Verification>

/**
 * What a backup holds, written beside it as `<id>.json` after the data file is in
 * place: the manifest is the commit point, a data file without one is an unfinished
 * backup and never listed.
 */
export const Manifest = z.object({
  format: z.literal(1),
  id: z.string(),
  createdAt: z.string(),
  /** `manual` from `crm backup`, `safety` before a destructive command or migration. */
  kind: z.enum(['manual', 'safety']),
  /** What the backup holds: a SQLite file (absent in manifests written before PostgreSQL) or a pg_dump archive. */
  engine: z.enum(['sqlite', 'postgres']).optional(),
  note: z.string().nullable(),
  /** The database it was taken from, as given. */
  source: z.string(),
  /** The last applied migration. */
  schemaVersion: z.string().nullable(),
  tables: z.record(z.string(), z.number().int().nonnegative()),
  /** The data file, relative to the manifest's folder. */
  file: z.string(),
  fileBytes: z.number().int().nonnegative(),
  /** SHA-256 of the data file as stored (compressed, and encrypted if so). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Size and SHA-256 of the SQLite file inside (PostgreSQL: of the pg_dump archive inside). */
  dbBytes: z.number().int().nonnegative(),
  dbSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** gzip over a SQLite file; `pg_dump`: the custom-format archive compresses its own data. */
  compression: z.enum(['gzip', 'pg_dump']),
  encryption: z.enum(['aes-256-gcm+scrypt']).nullable(),
  /** SQLite: `PRAGMA quick_check`; PostgreSQL: `pg_restore --list` read the archive. */
  quickCheck: z.literal('ok'),
  /**
   * SQLite: what `quick_check` read. `snapshot`: the live database at the snapshot being
   * copied, while it was copied (the pages copied are the pages checked); `copy`: the copied
   * file afterwards. Absent in older manifests and on PostgreSQL.
   */
  checkedOn: z.enum(['snapshot', 'copy']).optional(),
  verified: Verification.nullable(),
})
export type Manifest = z.infer<typeof Manifest>

/** Backups live in `backups/` beside the database unless `--to`/`--backups` says otherwise. */
export function defaultBackupDir(dbPath: string): string {
  return join(dirname(dbPath), 'backups')
}

export function manifestPath(dir: string, id: string): string {
  return join(dir, `${id}.json`)
}

export function writeManifest(dir: string, manifest: Manifest): void {
  writeFileDurably(manifestPath(dir, manifest.id), JSON.stringify(manifest, null, 2) + '\n')
}

export function readManifest(dir: string, id: string): Manifest {
  const path = manifestPath(dir, id)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new CrmError(`${path}: cannot read the backup manifest (${(err as Error).message})`, 1, { cause: err })
  }
  const parsed = Manifest.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new CrmError(`${path}: ${issue?.path.join('.') || 'manifest'}: ${issue?.message ?? 'not a backup manifest'}`)
  }
  return parsed.data
}

/** Backup ids look like 20261123T022000Z (UTC), with -2, -3 … for several in one second. */
const ID_PATTERN = /^\d{8}T\d{6}Z(-\d+)?$/

/** Every complete backup in `dir`, newest first. A missing folder has none. */
export function listManifests(dir: string): Manifest[] {
  if (!existsSync(dir)) return []
  const ids = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -5))
    .filter((id) => ID_PATTERN.test(id))
  return ids.map((id) => readManifest(dir, id)).sort(newestFirst)
}

export function newestFirst(a: Manifest, b: Manifest): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0
}

/** A new id for a backup taken at `at`, unique in `dir` (callers hold the lock). */
export function newBackupId(dir: string, at: Date): string {
  const base = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  let id = base
  for (let n = 2; taken(dir, id); n++) id = `${base}-${n}`
  return id
}

function taken(dir: string, id: string): boolean {
  return [manifestPath(dir, id), ...DATA_SUFFIXES.map((s) => join(dir, id + s))].some((p) => existsSync(p))
}

/** Data file names: gzip, and gzip then AES-GCM; a pg_dump archive, and it under AES-GCM. */
export const DATA_SUFFIXES = ['.db.gz', '.db.gz.enc', '.dump', '.dump.enc'] as const

/** Finds a backup by its id or an unambiguous prefix of it (`20261123` for the only one that day). */
export function findBackup(dir: string, idOrPrefix: string): Manifest {
  const all = listManifests(dir)
  const exact = all.find((m) => m.id === idOrPrefix)
  if (exact) return exact
  const matches = all.filter((m) => m.id.startsWith(idOrPrefix))
  if (matches.length === 1) return matches[0]!
  if (matches.length === 0) {
    throw new CrmError(`no backup ${idOrPrefix} in ${dir} (crm backup list shows them)`)
  }
  throw new CrmError(`${idOrPrefix} matches ${matches.length} backups (${matches.map((m) => m.id).slice(0, 3).join(', ')}…); give more of the id`)
}
