import { readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { Migrator, type Kysely, type Migration, type MigrationProvider } from 'kysely'
import { CrmError } from '../errors.js'
import { isMigrationFile, MIGRATIONS_DIR, migrationName } from './migrate.js'

/**
 * Applies the missing migrations with Kysely's Migrator; migrate.ts loads this module only
 * when a database lacks one, so a command on a current database never loads it.
 * Returns the names applied (none when another process applied them meanwhile).
 */
export async function runMigrator(db: Kysely<any>, knownCount: number): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: migrationProvider,
    // Numbers were handed out to parallel branches (0003 landed after 0004 was applied on
    // some databases): apply a missing one whatever its place; each migration stands alone.
    allowUnorderedMigrations: true,
  })
  let { error, results } = await migrator.migrateToLatest()
  // Kysely takes no lock on SQLite, so two crm processes opening a new database race:
  // the loser's CREATE TABLE fails because the winner just made it. Wait for the
  // winner to record its migrations, then carry on as if we had run them.
  for (let attempt = 0; error && attempt < 20; attempt++) {
    await new Promise((r) => setTimeout(r, 100))
    if ((await appliedMigrations(db)).length === knownCount) return []
    ;({ error, results } = await migrator.migrateToLatest())
  }
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown'
    throw new CrmError(`schema migration ${failed} failed: ${String((error as Error).message ?? error)}`, 1, {
      cause: error,
    })
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}

async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  try {
    const rows = await db.selectFrom('kysely_migration').select('name').execute()
    return rows.map((r) => r.name as string)
  } catch {
    return []
  }
}

/**
 * Loads the migration files with our own `import()` rather than Kysely's
 * FileMigrationProvider, so the test runner can load the .ts sources too.
 */
const loadCommonJs = createRequire(import.meta.url)

const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    const files = readdirSync(MIGRATIONS_DIR).filter(isMigrationFile)
    const migrations: Record<string, Migration> = {}
    for (const file of files) {
      const full = path.join(MIGRATIONS_DIR, file)
      // The bundle's migrations are CommonJS like the rest of it (scripts/bundle.mjs).
      const mod = (file.endsWith('.cjs') ? loadCommonJs(full) : await import(pathToFileURL(full).href)) as Migration
      migrations[migrationName(file)] = {
        up: (db) => mod.up(ownTransaction(db)),
        down: mod.down ? (db) => mod.down!(ownTransaction(db)) : undefined,
      }
    }
    return migrations
  },
}

/**
 * Each migration wraps its body in `db.transaction()` because SQLite's migrator does not.
 * On PostgreSQL Kysely's migrator already runs every migration in a transaction (and
 * refuses a nested one): there the migration's own transaction is that one.
 */
function ownTransaction(db: Kysely<any>): Kysely<any> {
  if (!db.isTransaction) return db
  return new Proxy(db, {
    get(target, prop) {
      if (prop === 'transaction') return () => ({ execute: <T>(fn: (trx: Kysely<any>) => Promise<T>) => fn(target) })
      const value = Reflect.get(target, prop, target) as unknown
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value
    },
  })
}
