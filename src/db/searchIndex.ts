import type BetterSqlite3 from 'better-sqlite3'

/**
 * Bulk inserts and the `--search` index (migration 0008). Triggers keep the FTS5 index
 * right for every writer, but one trigger run per inserted row costs about 65 µs of CPU,
 * against about 15 µs per row for filling the index in one statement afterwards
 * (docs/benchmarks.md, "Search"). So a bulk writer, inside its own write transaction:
 *
 *   const deferred = deferSearchIndex(sqlite)   // after BEGIN IMMEDIATE
 *   … insert and update customers …
 *   catchUpSearchIndex(sqlite, deferred)        // before COMMIT
 *
 * While deferred, rows inserted in this transaction (ids above the largest one before)
 * are left out of the index; updates and deletes of older rows still go through their
 * triggers; the catch-up indexes the new rows as they are at the end and puts the
 * triggers back exactly as they were. All of it is in the writer's transaction, so a
 * rollback undoes it and no other connection ever sees the triggers missing.
 */
export interface DeferredSearchIndex {
  /** The largest customer id before the bulk write. */
  afterId: number
  /** The triggers' original CREATE statements, by name. */
  triggers: Record<string, string>
}

const TRIGGERS = ['customers_search_insert', 'customers_search_update', 'customers_search_delete'] as const

export function deferSearchIndex(sqlite: BetterSqlite3.Database): DeferredSearchIndex | null {
  if (!sqlite.inTransaction) throw new Error('deferSearchIndex needs the write transaction open')
  const rows = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'trigger' and name in (${TRIGGERS.map(() => '?').join(', ')})`)
    .all(...TRIGGERS) as Array<{ name: string; sql: string }>
  if (rows.length !== TRIGGERS.length) return null // a database without the index (or with it changed by hand)
  const afterId = sqlite.prepare('select coalesce(max(id), 0) from customers').pluck().get() as number
  const triggers = Object.fromEntries(rows.map((r) => [r.name, r.sql]))
  for (const name of TRIGGERS) sqlite.exec(`drop trigger ${name}`)
  // Older rows keep their index entries right; new rows are indexed by the catch-up.
  for (const name of ['customers_search_update', 'customers_search_delete']) {
    sqlite.exec(triggers[name]!.replace(/\bbegin\b/i, `when old.id <= ${afterId} begin`))
  }
  return { afterId, triggers }
}

export function catchUpSearchIndex(sqlite: BetterSqlite3.Database, deferred: DeferredSearchIndex | null): void {
  if (deferred === null) return
  const columns = (sqlite.prepare('select name from pragma_table_info(?)').pluck().all('customer_search') as string[]).join(', ')
  sqlite
    .prepare(`insert into customer_search(rowid, ${columns}) select id, ${columns} from customers where id > ?`)
    .run(deferred.afterId)
  for (const name of TRIGGERS) sqlite.exec(`drop trigger if exists ${name}`)
  for (const name of TRIGGERS) sqlite.exec(deferred.triggers[name]!)
}
