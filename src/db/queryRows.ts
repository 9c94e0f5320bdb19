import type { Compilable, Kysely } from 'kysely'
import { streamRows } from './dialect.js'
import type { CrmDb } from './openDb.js'

/**
 * The rows of a query, one at a time, never all in memory. On SQLite they come straight
 * from better-sqlite3's iterator: synchronous, so a long listing pays no promise per row
 * through Kysely's async stream (a tenth of `crm query`'s time at 30,000 rows). On
 * PostgreSQL, a cursor (streamRows). Our Kysely instances use no result plugins, so both
 * give the same row objects.
 */
export function queryRows<R>(
  crm: CrmDb,
  query: Compilable<R> & { stream(chunk?: number): AsyncIterableIterator<R> },
  chunk?: number,
): Iterable<R> | AsyncIterable<R> {
  if (crm.kind === 'sqlite') {
    const compiled = query.compile()
    return crm.sqlite.prepare(compiled.sql).iterate(...(compiled.parameters as unknown[])) as Iterable<R>
  }
  return streamRows(crm.db as Kysely<any>, query, chunk)
}
