import { readdirSync } from 'node:fs'
import type { Kysely } from 'kysely'
import { CrmError } from '../errors.js'
import { migrationsDir } from '../paths.js'

/** dist/migrations (or the bundle's copy) when built; the .ts sources when tests import src/ directly. */
export const MIGRATIONS_DIR = migrationsDir

/** A migration's file: .js (tsc's dist/migrations), .cjs (the bundle's) or .ts (the sources). */
export const isMigrationFile = (f: string) => /\.(c?js|ts)$/.test(f) && !f.endsWith('.d.ts')

/** A migration's name: its file name without the extension. */
export const migrationName = (f: string) => f.replace(/\.(c?js|ts)$/, '')

/** Names of the migrations this build knows, in order. */
export function knownMigrations(): string[] {
  return readdirSync(MIGRATIONS_DIR).filter(isMigrationFile).map(migrationName).sort()
}

/**
 * Brings the schema up to date. Called on every open, so it first compares names
 * (one read of kysely_migration, done by the caller) and only loads the Migrator when
 * something is missing.
 * A database written by a newer crm (a migration we do not know) is refused.
 */
export async function migrateToLatest(db: Kysely<any>, applied: string[]): Promise<string[]> {
  const known = knownMigrations()
  assertKnownMigrations(applied, known)
  if (applied.length === known.length) return []
  // The Migrator (and the migration files) load only when something is missing.
  const { runMigrator } = await import('./runMigrator.js')
  return runMigrator(db, known.length)
}

/** A database written by a newer crm (a migration this build does not know) is refused. */
export function assertKnownMigrations(applied: string[], known = knownMigrations()): void {
  const unknown = applied.filter((m) => !known.includes(m))
  if (unknown.length > 0) {
    throw new CrmError(
      `this database was written by a newer version of crm (schema ${unknown[unknown.length - 1]}); upgrade crm to use it`,
    )
  }
}
