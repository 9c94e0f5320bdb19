import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely'
import { CrmError } from '../errors.js'
import { isPostgresUrl } from './dbPath.js'
import { MMAP_BYTES } from './mmap.js'
import { setPostgresTypeParsers } from './dialect.js'
import { assertKnownMigrations, knownMigrations, migrateToLatest } from './migrate.js'
import type { Database } from './schema.js'

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

export interface OpenOptions {
  /** Open an existing database read-only; never create or migrate. */
  readonly?: boolean
  /** How long a writer waits for another process's transaction, in ms. */
  busyTimeoutMs?: number
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
 * A second `crm` writing waits for the first one's whole transaction (an import can
 * take a minute) instead of failing with "database is locked" after a few seconds.
 */
const DEFAULT_BUSY_TIMEOUT_MS = 10 * 60 * 1000

const SQLITE_MAGIC = 'SQLite format 3\0'

function assertSqliteFile(path: string): void {
  const st = statSync(path)
  if (st.isDirectory()) throw new CrmError(`${path}: is a folder, not a database file`)
  if (st.size === 0) return
  const head = Buffer.alloc(16)
  const fd = openSync(path, 'r')
  try {
    readSync(fd, head, 0, 16, 0)
  } finally {
    closeSync(fd)
  }
  if (head.toString('latin1') !== SQLITE_MAGIC) {
    throw new CrmError(`${path}: not a crm database (not an SQLite file)`)
  }
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
  // Every file SQLite makes beside the database (-wal, -shm, journals) is private too.
  process.umask(0o077)
  const exists = existsSync(target)
  if (!exists) {
    if (options.readonly) throw new CrmError(`${target}: no such database`)
    const dir = dirname(target)
    if (!existsSync(dir)) {
      try {
        mkdirSync(dir, { recursive: true, mode: 0o700 })
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        const why = code === 'ENOTDIR' ? 'part of the path is a file, not a folder' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'ENOSPC' ? 'the disk is full' : code
        throw new CrmError(`${target}: cannot create the database folder ${dir} (${why})`, 1, { cause: err })
      }
    }
  } else {
    assertSqliteFile(target)
  }
  let sqlite: BetterSqlite3.Database
  try {
    sqlite = new BetterSqlite3(target, {
      readonly: options.readonly ?? false,
      fileMustExist: options.readonly ?? false,
      timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS,
    })
  } catch (err) {
    throw new CrmError(`${target}: cannot open the database: ${(err as Error).message}`, 1, { cause: err })
  }
  try {
    if (!exists) chmodSync(target, 0o600)
    // WAL with synchronous=NORMAL can lose the last commits on power loss; a customer
    // database chooses FULL on purpose (every committed import survives).
    sqlite.pragma('synchronous = FULL')
    sqlite.pragma('foreign_keys = ON')
    // The default 2 MB page cache thrashes once indexes outgrow it (a 1M-row import spent
    // most of its time re-reading index pages); 64 MB is memory, not a promise to use it.
    sqlite.pragma('cache_size = -65536')
    // Reads through mmap (up to SQLite's 2 GB ceiling) skip a copy per page into the cache:
    // `crm query` on a 4 GB database ran 5–15% faster; imports the same (docs/benchmarks.md).
    sqlite.pragma(`mmap_size = ${MMAP_BYTES}`)
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
    const hasTable = sqlite
      .prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`)
      .get()
    const applied = hasTable
      ? (sqlite.prepare('select name from kysely_migration order by name').pluck().all() as string[])
      : []
    // Before anything writes (switching to WAL rewrites the header): a newer crm's file stays as it was.
    if (!options.readonly) assertKnownMigrations(applied)
    if (!options.readonly) sqlite.pragma('journal_mode = WAL')
    if (!options.readonly && options.beforeMigrate && applied.length > 0) {
      const pending = knownMigrations().filter((m) => !applied.includes(m))
      if (pending.length > 0) await options.beforeMigrate({ kind: 'sqlite', path: target, sqlite }, pending)
    }
    if (!options.readonly) await migrateToLatest(db, applied)
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

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/i, '$1:***@')
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

/** Turns better-sqlite3's errors into one line a user can act on. */
export function translateSqliteError(err: unknown, target: string): unknown {
  if (err instanceof CrmError) return err
  const code = (err as { code?: string }).code
  const message = (err as Error).message
  switch (code) {
    case 'SQLITE_NOTADB':
      return new CrmError(`${target}: not a crm database (not an SQLite file)`, 1, { cause: err })
    case 'SQLITE_CORRUPT':
      return new CrmError(`${target}: the database is damaged (${message}); restore a backup with crm restore`, 1, { cause: err })
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
      return new CrmError(`${target}: cannot write the database (${message}); check the file's permissions`, 1, { cause: err })
    case 'SQLITE_FULL':
      return new CrmError(`${target}: the disk is full; nothing was written`, 1, { cause: err })
    case 'SQLITE_BUSY':
      return new CrmError(`${target}: another crm process kept the database busy too long; try again`, 1, { cause: err })
    case 'SQLITE_IOERR':
      return new CrmError(`${target}: input/output error (${message})`, 1, { cause: err })
    // PostgreSQL (SQLSTATE codes): the transaction was rolled back, nothing was written.
    case '40P01':
    case '40001':
      return new CrmError(`${redactUrl(target)}: another crm process conflicted with this one (${message}); nothing was written, try again`, 1, { cause: err })
    case '23505':
      return new CrmError(`${redactUrl(target)}: ${message}; nothing was written`, 1, { cause: err })
    // A row this command read was removed by another process before it wrote (a merge, an rm).
    case '23503':
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new CrmError(`${redactUrl(target)}: a row this command refers to no longer exists, most likely removed or merged by another crm process meanwhile (${message}); nothing was written, try again`, 1, { cause: err })
    case '57P01':
    case '08006':
    case 'ECONNRESET':
    case 'ECONNREFUSED':
      return new CrmError(`${redactUrl(target)}: lost the connection to PostgreSQL (${message}); nothing was committed`, 1, { cause: err })
    default:
      return err
  }
}
