import { CompiledQuery, PostgresAdapter, sql, type Compilable, type Kysely, type RawBuilder } from 'kysely'
import type pg from 'pg'

/**
 * Everything that differs between SQLite and PostgreSQL, in one place. Features ask
 * these helpers instead of testing the dialect themselves.
 *
 * Schema choice: timestamps stay ISO-8601 UTC *text* on PostgreSQL too (a deliberate
 * departure from DESIGN.md's timestamptz): every feature compares, slices and sorts
 * them as text, and a text column in the "C" collation gives byte-for-byte the values
 * and ordering SQLite gives. The migrations give every text column `collate "C"`.
 */
export type DialectName = 'sqlite' | 'postgres'

export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite'
}

export function isPostgres(db: Kysely<any> | DialectName): boolean {
  return (typeof db === 'string' ? db : dialectOf(db)) === 'postgres'
}

let parsersSet = false

/**
 * pg hands back bigint (count(*), sum()) and numeric as strings and timestamptz as
 * Date; the code reads numbers and ISO strings, exactly as better-sqlite3 returns them.
 * Counts and cent sums stay far below 2^53.
 */
export function setPostgresTypeParsers(types: typeof pg.types): void {
  if (parsersSet) return
  parsersSet = true
  types.setTypeParser(types.builtins.INT8, (v: string) => Number(v))
  types.setTypeParser(types.builtins.NUMERIC, (v: string) => Number(v))
  const iso = (v: string) => new Date(v).toISOString()
  types.setTypeParser(types.builtins.TIMESTAMPTZ, iso)
  types.setTypeParser(types.builtins.TIMESTAMP, (v: string) => new Date(v + 'Z').toISOString())
  // A date stays YYYY-MM-DD text (pg would make it a local-midnight Date).
  types.setTypeParser(types.builtins.DATE, (v: string) => v)
}

/** The last `n` characters of a text (SQLite's substr(x, -n) means something else on PostgreSQL). */
export function lastChars(db: Kysely<any> | DialectName, expr: RawBuilder<unknown>, n: number): RawBuilder<string> {
  return isPostgres(db) ? sql<string>`right(${expr}, ${sql.lit(n)})` : sql<string>`substr(${expr}, ${sql.lit(-n)})`
}

/** Text values of a group joined by `separator`, in the order of the rows or of `orderBy`. */
export function groupConcat(
  db: Kysely<any> | DialectName,
  expr: RawBuilder<unknown>,
  separator: string,
  orderBy?: RawBuilder<unknown>,
): RawBuilder<string | null> {
  const order = orderBy ? sql` order by ${orderBy}` : sql``
  return isPostgres(db)
    ? sql<string | null>`string_agg(${expr}, ${sql.lit(separator)}${order})`
    : sql<string | null>`group_concat(${expr}, ${sql.lit(separator)}${order})`
}

/**
 * One writer at a time for bulk writes (imports, copies): SQLite's BEGIN IMMEDIATE gives
 * that for free; on PostgreSQL a transaction-scoped advisory lock does the same, so two
 * imports matching by email never both insert the same person. Released at commit/rollback.
 */
export const WRITER_LOCK_KEY = 0x63726d // 'crm'

export async function takeWriterLock(trx: Kysely<any>): Promise<void> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(${WRITER_LOCK_KEY})`.execute(trx)
}

/** SQLSTATEs after which PostgreSQL rolled the whole transaction back and a rerun may succeed. */
const RETRYABLE = new Set(['40P01', '40001'])
const WRITE_ATTEMPTS = 3

/**
 * One write transaction of a command (add, merge, unmerge, forget, dedupe --merge), the
 * same on both dialects:
 * - SQLite: BEGIN IMMEDIATE on Kysely's one connection, so a second writer waits its busy
 *   timeout at the start instead of failing at its first write (a deferred BEGIN that
 *   reads first cannot wait for the lock later).
 * - PostgreSQL: the writer advisory lock first (the lock the import takes), so crm's
 *   writers run one after another and never deadlock among themselves; a deadlock or
 *   serialization failure with another client (PostgreSQL detects it and rolls back) is
 *   retried twice, then reported by translateSqliteError as "try again".
 * `fn` must only use the handle it is given, and may run more than once on PostgreSQL.
 */
export async function writeTransaction<DB, T>(db: Kysely<DB>, fn: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
  if (!isPostgres(db)) {
    return db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn)
      try {
        const result = await fn(conn)
        await sql`commit`.execute(conn)
        return result
      } catch (err) {
        // SQLite may have rolled back already (a full disk, an interrupt).
        await sql`rollback`.execute(conn).catch(() => {})
        throw err
      }
    })
  }
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        await takeWriterLock(trx)
        return fn(trx)
      })
    } catch (err) {
      if (attempt >= WRITE_ATTEMPTS || !RETRYABLE.has(String((err as { code?: unknown }).code))) throw err
    }
  }
}

/** A unique, foreign-key, check or not-null failure: SQLite's SQLITE_CONSTRAINT_*, PostgreSQL's SQLSTATE class 23. */
export function isConstraintViolation(err: unknown): boolean {
  const code = String((err as { code?: unknown }).code ?? '')
  return code.startsWith('SQLITE_CONSTRAINT') || /^23\d{3}$/.test(code)
}

/** `needle` occurs in `haystack` (SQLite's instr, PostgreSQL's strpos). */
export function containsText(db: Kysely<any> | DialectName, haystack: RawBuilder<unknown>, needle: string): RawBuilder<boolean> {
  return isPostgres(db) ? sql<boolean>`strpos(${haystack}, ${needle}) > 0` : sql<boolean>`instr(${haystack}, ${needle}) > 0`
}

/** After rows were written with explicit ids, the next generated id follows the largest. */
export async function resetIdentity(db: Kysely<any>, table: string): Promise<void> {
  if (!isPostgres(db)) return
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce((select max(id) from ${sql.table(table)}), 0) + 1, false)`.execute(db)
}

/** Reserves `n` ids of a table's identity column, ascending (PostgreSQL only). */
export async function reserveIds(db: Kysely<any>, table: string, n: number): Promise<number[]> {
  if (n === 0) return []
  const r = await sql<{ id: number }>`select nextval(pg_get_serial_sequence(${table}, 'id')) as id from generate_series(1, ${n})`.execute(db)
  return r.rows.map((x) => Number(x.id)).sort((a, b) => a - b)
}

/** Bound values per statement: PostgreSQL takes 65,535, SQLite 32,766. */
const maxParams = (db: Kysely<any>) => (isPostgres(db) ? 60_000 : 30_000)

/**
 * Multi-row INSERTs, chunked under the bound-value limit: the bulk path on PostgreSQL,
 * where one round trip per row would dominate an import.
 */
export async function insertRows(
  db: Kysely<any>,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<unknown>>,
  onConflict: 'error' | 'nothing' = 'error',
): Promise<void> {
  if (rows.length === 0) return
  const perChunk = Math.max(1, Math.floor(maxParams(db) / columns.length))
  const cols = sql.join(columns.map((c) => sql.ref(c)))
  const tail = onConflict === 'nothing' ? sql` on conflict do nothing` : sql``
  for (let i = 0; i < rows.length; i += perChunk) {
    const chunk = rows.slice(i, i + perChunk)
    const values = sql.join(chunk.map((r) => sql`(${sql.join(r.map((v) => sql`${v}`))})`))
    await sql`insert into ${sql.table(table)} (${cols}) values ${values}${tail}`.execute(db)
  }
}

/**
 * Multi-row UPDATE by id (`update t set c = v.c from (values …) v where t.id = v.id`).
 * Values are bound as text and cast to each column's type by PostgreSQL.
 */
export async function updateRowsById(
  db: Kysely<any>,
  table: string,
  columns: readonly string[],
  rows: ReadonlyArray<{ id: number; values: ReadonlyArray<unknown> }>,
  /** A column's SQL type when it is not text. */
  types: Readonly<Record<string, string>> = {},
): Promise<void> {
  if (rows.length === 0) return
  const perChunk = Math.max(1, Math.floor(maxParams(db) / (columns.length + 1)))
  const names = sql.join(['id', ...columns].map((c) => sql.ref(c)))
  const sets = sql.join(columns.map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}`))
  for (let i = 0; i < rows.length; i += perChunk) {
    const chunk = rows.slice(i, i + perChunk)
    const values = sql.join(
      chunk.map((r, j) =>
        j === 0
          ? // The first row types the VALUES list: id as integer, the rest as their columns.
            sql`(${r.id}::integer, ${sql.join(r.values.map((v, k) => sql`${v}::${sql.raw(types[columns[k]!] ?? 'text')}`))})`
          : sql`(${r.id}, ${sql.join(r.values.map((v) => sql`${v}`))})`,
      ),
    )
    await sql`update ${sql.table(table)} as t set ${sets} from (values ${values}) as v(${names}) where t.id = v.id`.execute(db)
  }
}

/**
 * Rows of a select, a chunk at a time, without holding the whole result: better-sqlite3
 * iterates natively; on PostgreSQL a server-side cursor (DECLARE … FETCH) in a
 * read-only transaction does it without the optional pg-cursor package.
 */
export async function* streamRows<R>(db: Kysely<any>, query: Compilable<R> & { stream(chunk?: number): AsyncIterableIterator<R> }, chunk = 1000): AsyncGenerator<R> {
  if (!isPostgres(db)) {
    yield* query.stream(chunk)
    return
  }
  yield* cursorRows<R>(db, query.compile(), chunk)
}

/** PostgreSQL: the rows of a compiled select through a server-side cursor, `chunk` at a time. */
export async function* cursorRows<R>(db: Kysely<any>, compiled: CompiledQuery<unknown>, chunk: number): AsyncGenerator<R> {
  const trx = await db.startTransaction().setAccessMode('read only').execute()
  let finished = false
  try {
    await trx.executeQuery(CompiledQuery.raw(`declare crm_rows no scroll cursor for ${compiled.sql}`, [...compiled.parameters]))
    for (;;) {
      const r = await trx.executeQuery<R>(CompiledQuery.raw(`fetch forward ${chunk} from crm_rows`))
      yield* r.rows
      if (r.rows.length < chunk) break
    }
    finished = true
    await trx.commit().execute()
  } finally {
    // An error, or a reader that stopped early (--limit): end the transaction, or its
    // connection never returns to the pool and the process never exits.
    if (!finished) await trx.rollback().execute()
  }
}

/** ` indexed by NAME` on SQLite (its planner misses these covering indexes); nothing on PostgreSQL. */
export function indexHint(db: Kysely<any>, index: string): RawBuilder<unknown> {
  return isPostgres(db) ? sql`` : sql.raw(` indexed by ${index}`)
}

/** Whole days (24 h, rounded down) from the ISO-8601 text `expr` to the instant `nowIso`. */
export function wholeDaysSince(db: Kysely<any> | DialectName, nowIso: string, expr: RawBuilder<unknown>): RawBuilder<number> {
  return isPostgres(db)
    ? sql<number>`floor(extract(epoch from (${nowIso}::timestamptz - (${expr})::timestamptz)) / 86400)::integer`
    : sql<number>`cast(julianday(${nowIso}) - julianday(${expr}) as integer)`
}

/** Rows an import must write before it refreshes PostgreSQL's planner statistics itself. */
export const ANALYZE_AFTER_ROWS = 1000

/**
 * After a bulk load, PostgreSQL plans from statistics that autovacuum refreshes only a
 * minute or so later: a report run straight after `crm copy` took 23.6 s instead of 1.8 s.
 * So a load refreshes them itself (a sample of each table: well under a second). SQLite
 * plans without statistics here (the queries name their indexes), so nothing to do there.
 */
export async function refreshStatistics(db: Kysely<any>, tables: readonly string[]): Promise<void> {
  if (!isPostgres(db)) return
  for (const t of tables) await sql`analyze ${sql.table(t)}`.execute(db)
}
