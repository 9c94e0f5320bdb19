import type BetterSqlite3 from 'better-sqlite3'

/**
 * Bulk inserts and the `--search` index (migration 0008). Triggers keep the FTS5 index
 * right for every writer, but one trigger run per inserted row costs about 65 µs of CPU,
 * against about 15 µs per row for filling the index in one statement afterwards
 * (docs/benchmarks.md, "Search"). So a bulk writer, inside its own write transaction:
 *
 *   const deferred = deferSearchIndex(sqlite)   // after BEGIN IMMEDIATE
 *   … insert and update customers …
 *   indexSearchChunk(sqlite, deferred)          // whenever the writer would wait anyway
 *   catchUpSearchIndex(sqlite, deferred)        // before COMMIT
 *
 * While deferred, the index holds every row up to a high-water mark (`indexedTo`: at
 * first the largest id before the bulk write) and none above it. Each chunk indexes the
 * next rows as they are then and raises the mark; the catch-up indexes the rest and puts
 * the triggers back exactly as they were. Meanwhile temporary triggers keep the indexed
 * rows right (an update or delete of a row at or under the mark goes through the index,
 * one above it is left to the chunk that will read it), so an import that updates a row
 * it inserted earlier cannot corrupt the index. All of it is in the writer's transaction
 * and its connection's temp schema, so a rollback undoes it and no other connection ever
 * sees the triggers missing.
 */
export interface DeferredSearchIndex {
  /** Every customer with an id up to this one is in the index, none above. */
  indexedTo: number
  /** The triggers' original CREATE statements, by name. */
  triggers: Record<string, string>
  /** The index's columns, in order, as one list for SQL. */
  columns: string
  /** The index's own automerge setting, put back by the catch-up. */
  automerge: number
}

const TRIGGERS = ['customers_search_insert', 'customers_search_update', 'customers_search_delete'] as const

/** About 2,000 rows of index work (30–40 ms): short enough not to keep the next batch waiting. */
export const SEARCH_CHUNK_ROWS = 2000

/**
 * FTS5 merges its segments a little after every write (automerge, 4 by default). Each
 * chunk is a statement of its own, which FTS5 writes out as a segment of its own, so at
 * 4 the chunks cost about 35% more CPU than one statement over the same rows; at 16 they
 * cost about 20% less than that one statement, and searches afterwards were as fast
 * (200,000 customers: 3.8 s and 2.1 s CPU against 2.8 s; "nguyen" 0.95 ms each way).
 * docs/benchmarks.md, "the search index filled while the worker validates".
 */
const BULK_AUTOMERGE = 16
const DEFAULT_AUTOMERGE = 4

/** The one-row temp table the temporary triggers read the high-water mark from. */
const MARK = 'temp.customer_search_indexed_to'

export function deferSearchIndex(sqlite: BetterSqlite3.Database): DeferredSearchIndex | null {
  if (!sqlite.inTransaction) throw new Error('deferSearchIndex needs the write transaction open')
  const rows = sqlite
    .prepare(`select name, sql from sqlite_master where type = 'trigger' and name in (${TRIGGERS.map(() => '?').join(', ')})`)
    .all(...TRIGGERS) as Array<{ name: string; sql: string }>
  if (rows.length !== TRIGGERS.length) return null // a database without the index (or with it changed by hand)
  const indexedTo = sqlite.prepare('select coalesce(max(id), 0) from customers').pluck().get() as number
  const triggers = Object.fromEntries(rows.map((r) => [r.name, r.sql]))
  const automerge = (sqlite.prepare(`select v from customer_search_config where k = 'automerge'`).pluck().get() as number | undefined) ?? DEFAULT_AUTOMERGE
  setAutomerge(sqlite, BULK_AUTOMERGE)
  const names = sqlite.prepare('select name from pragma_table_info(?)').pluck().all('customer_search') as string[]
  const columns = names.join(', ')
  const values = (row: 'new' | 'old') => names.map((c) => `${row}.${c}`).join(', ')
  for (const name of TRIGGERS) sqlite.exec(`drop trigger ${name}`)
  sqlite.exec(`create temp table ${MARK.slice('temp.'.length)} (id integer not null)`)
  sqlite.prepare(`insert into ${MARK} (id) values (?)`).run(indexedTo)
  const mark = `(select id from ${MARK})`
  // Temp triggers on main.customers: only this connection runs them, and a trigger of the
  // temp schema may write the main schema's index. Each statement checks the mark itself,
  // so even a changed id is right on both sides of it. Ids are AUTOINCREMENT, so a row lands
  // at or under the mark only when its writer gives the id itself (as unmerge does).
  sqlite.exec(`create temp trigger customers_search_insert_deferred after insert on main.customers
    when new.id <= ${mark} begin
    insert into customer_search(rowid, ${columns}) values (new.id, ${values('new')}); end`)
  sqlite.exec(`create temp trigger customers_search_delete_deferred after delete on main.customers
    when old.id <= ${mark} begin
    insert into customer_search(customer_search, rowid, ${columns}) values ('delete', old.id, ${values('old')}); end`)
  sqlite.exec(`create temp trigger customers_search_update_deferred after update of id, ${columns} on main.customers begin
    insert into customer_search(customer_search, rowid, ${columns}) select 'delete', old.id, ${values('old')} where old.id <= ${mark};
    insert into customer_search(rowid, ${columns}) select new.id, ${values('new')} where new.id <= ${mark}; end`)
  return { indexedTo, triggers, columns, automerge }
}

function setAutomerge(sqlite: BetterSqlite3.Database, value: number): void {
  // FTS5's commands take literal integers (a bound JS number arrives as a real, which it refuses).
  sqlite.exec(`insert into customer_search(customer_search, rank) values ('automerge', ${Math.trunc(value)})`)
}

/**
 * Indexes the next rows above the high-water mark, at most `maxRows` ids of them, as they
 * are now; later changes to them go through the temporary triggers. Returns false when
 * every row written so far is already indexed (nothing done).
 */
export function indexSearchChunk(sqlite: BetterSqlite3.Database, deferred: DeferredSearchIndex | null, maxRows = SEARCH_CHUNK_ROWS): boolean {
  if (deferred === null) return false
  const last = sqlite.prepare('select coalesce(max(id), 0) from customers').pluck().get() as number
  if (last <= deferred.indexedTo) return false
  fillSearchIndex(sqlite, deferred, Math.min(last, deferred.indexedTo + maxRows))
  return true
}

export function catchUpSearchIndex(sqlite: BetterSqlite3.Database, deferred: DeferredSearchIndex | null): void {
  if (deferred === null) return
  const last = sqlite.prepare('select coalesce(max(id), 0) from customers').pluck().get() as number
  if (last > deferred.indexedTo) fillSearchIndex(sqlite, deferred, last)
  setAutomerge(sqlite, deferred.automerge)
  for (const name of TRIGGERS) sqlite.exec(`drop trigger if exists temp.${name}_deferred`)
  sqlite.exec(`drop table ${MARK}`)
  for (const name of TRIGGERS) sqlite.exec(deferred.triggers[name]!)
}

/** Indexes the rows with ids in (indexedTo, toId] and moves the mark to toId. */
function fillSearchIndex(sqlite: BetterSqlite3.Database, deferred: DeferredSearchIndex, toId: number): void {
  sqlite
    .prepare(`insert into customer_search(rowid, ${deferred.columns}) select id, ${deferred.columns} from customers where id > ? and id <= ?`)
    .run(deferred.indexedTo, toId)
  sqlite.prepare(`update ${MARK} set id = ?`).run(toId)
  deferred.indexedTo = toId
}
