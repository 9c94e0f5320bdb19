import type BetterSqlite3 from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import { CrmError } from '../errors.js'
import { redactUrl, translateSqliteError } from './dbErrors.js'
import { isPostgresUrl } from './dbPath.js'
import { openSqliteFile, type SqliteFileOptions } from './openSqliteFile.js'
import { setPostgresTypeParsers } from './dialect.js'
import { knownMigrations, migrateToLatest } from './migrate.js'
import type { Database } from './schema.js'

// Error wording lives in dbErrors.ts (no Kysely there); kept importable from here.
export { redactUrl, translateSqliteError }

export interface SqliteCrmDb {
  readonly kind: 'sqlite'
  readonly path: string
  readonly db: Kysely<Database>
  /** The raw handle, for bulk paths (one prepared statement in one transaction). */
  readonly sqlite: BetterSqlite3.Database
  close(): Promise<void>
}

export interface PostgresCrmDb {
  readonly kind: 'postgres'
  /** The URL with any password replaced by `***`: safe to print. */
  readonly path: string
  /** The URL as given, password included: for pg_dump (safety backups), never for printing. */
  readonly url: string
  readonly db: Kysely<Database>
  close(): Promise<void>
}

export type CrmDb = SqliteCrmDb | PostgresCrmDb

export interface OpenOptions extends SqliteFileOptions {
  /**
   * Called before migrations are applied to a database that already has a schema
   * (never on a new file): the CLI takes a safety backup here.
   */
  beforeMigrate?: (
    db: { kind?: 'sqlite'; path: string; sqlite: BetterSqlite3.Database } | { kind: 'postgres'; path: string; url: string },
    pending: string[],
  ) => Promise<void>
}

/**
 * Opens (creating on first use, mode 0600 in a 0700 folder) a crm database and
 * applies pending migrations. WAL, foreign keys on, a long busy timeout.
 */
export async function openDb(target: string, options: OpenOptions = {}): Promise<CrmDb> {
  return isPostgresUrl(target) ? openPostgres(target, options) : openSqliteDb(target, options)
}

/** A SQLite file only (tests, benchmarks and backups that need the raw handle). */
export async function openSqliteDb(target: string, options: OpenOptions = {}): Promise<SqliteCrmDb> {
  if (isPostgresUrl(target)) throw new CrmError(`${redactUrl(target)}: expected a SQLite file, not a PostgreSQL URL`)
  const { sqlite, applied, pending } = openSqliteFile(target, options)
  try {
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
    if (!options.readonly && options.beforeMigrate && applied.length > 0 && pending.length > 0) {
      await options.beforeMigrate({ kind: 'sqlite', path: target, sqlite }, pending)
    }
    // A current file (the usual case) does no migration work at all: the Migrator never loads.
    if (!options.readonly && pending.length > 0) await migrateToLatest(db, applied)
    return {
      kind: 'sqlite',
      path: target,
      db,
      sqlite,
      close: async () => {
        await db.destroy()
        // Kysely's driver only owns the handle once a Kysely query has run: a command
        // that used only `sqlite` (bulk paths, backups) must close it itself.
        if (sqlite.open) sqlite.close()
      },
    }
  } catch (err) {
    sqlite.close()
    throw translateSqliteError(err, target)
  }
}

/**
 * A PostgreSQL database through Kysely's PostgresDialect over a small `pg` pool.
 * The database must exist; the schema is created on first use by the same migrations
 * as SQLite (Kysely's migrator takes an advisory lock, so concurrent first opens are safe).
 */
async function openPostgres(target: string, options: OpenOptions): Promise<PostgresCrmDb> {
  // pg loads only for a postgres:// target: every SQLite command starts without it.
  const { default: pg } = await import('pg')
  setPostgresTypeParsers(pg.types)
  const shown = redactUrl(target)
  const pool = new pg.Pool({ connectionString: target, max: 4 })
  // An idle client losing its server must not crash the process with an unhandled event.
  pool.on('error', () => {})
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) })
  try {
    await sql`select 1`.execute(db)
  } catch (err) {
    await db.destroy()
    throw new CrmError(`${shown}: cannot connect to PostgreSQL: ${(err as Error).message}`, 1, { cause: err })
  }
  try {
    if (!options.readonly) {
      const known = await sql<{ ok: number }>`select count(*) as ok from information_schema.tables
        where table_schema = current_schema() and table_name = 'kysely_migration'`.execute(db)
      const applied = Number(known.rows[0]?.ok) > 0
        ? (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name)
        : []
      if (options.beforeMigrate && applied.length > 0) {
        const pending = knownMigrations().filter((m) => !applied.includes(m))
        if (pending.length > 0) await options.beforeMigrate({ kind: 'postgres', path: shown, url: target }, pending)
      }
      await migrateToLatest(db, applied)
    }
  } catch (err) {
    await db.destroy()
    throw err
  }
  return { kind: 'postgres', path: shown, url: target, db, close: () => db.destroy() }
}
