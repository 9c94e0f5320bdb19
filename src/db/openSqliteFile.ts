import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { CrmError } from '../errors.js'
import { translateSqliteError } from './dbErrors.js'
import { assertKnownMigrations, knownMigrations } from './migrate.js'
import { MMAP_BYTES } from './mmap.js'

// The SQLite half of opening a database with better-sqlite3 alone: no Kysely, no zod.
// openDb.ts puts Kysely on top and applies what is missing; the quick `crm query --count`
// (src/cli/quickCount.ts) stops here when nothing is.

// require(), not import: importing a CommonJS package from an ES module first runs Node's
// export scanner (cjs-module-lexer) over it, about 10 ms of every command's start.
const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3

/** How opening a SQLite file may behave; openDb's OpenOptions carries the same two. */
export interface SqliteFileOptions {
  /** Open an existing database read-only; never create or migrate. */
  readonly?: boolean
  /** How long a writer waits for another process's transaction, in ms. */
  busyTimeoutMs?: number
}

export interface OpenedSqliteFile {
  sqlite: BetterSqlite3.Database
  /** The migrations recorded in the file (none for a new one). */
  applied: string[]
  /** The migrations this build knows that the file lacks, in order. */
  pending: string[]
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
 * Opens (creating on first use, mode 0600 in a 0700 folder) a SQLite file with crm's
 * pragmas (WAL, foreign keys on, a long busy timeout) and reads which migrations it has:
 * one select, no migration work. A file written by a newer crm is refused before anything
 * writes to it. The handle is the caller's to close.
 */
export function openSqliteFile(target: string, options: SqliteFileOptions = {}): OpenedSqliteFile {
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
    sqlite = new Sqlite(target, {
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
    // The page cache stays at the driver's default (16 MB): reads come through mmap, and a
    // bigger cache made every one-shot query slower (docs/benchmarks.md, "the page cache of a
    // fresh process"). An import asks for more in its own transaction (importTransaction.ts).
    // Reads through mmap (up to SQLite's 2 GB ceiling) skip a copy per page into the cache:
    // `crm query` on a 4 GB database ran 5–15% faster; imports the same (docs/benchmarks.md).
    sqlite.pragma(`mmap_size = ${MMAP_BYTES}`)
    const hasTable = sqlite
      .prepare(`select 1 from sqlite_master where type = 'table' and name = 'kysely_migration'`)
      .get()
    const applied = hasTable
      ? (sqlite.prepare('select name from kysely_migration order by name').pluck().all() as string[])
      : []
    const known = knownMigrations()
    // Before anything writes (switching to WAL rewrites the header): a newer crm's file stays as it was.
    if (!options.readonly) assertKnownMigrations(applied, known)
    if (!options.readonly) sqlite.pragma('journal_mode = WAL')
    return { sqlite, applied, pending: known.filter((m) => !applied.includes(m)) }
  } catch (err) {
    sqlite.close()
    throw translateSqliteError(err, target)
  }
}
