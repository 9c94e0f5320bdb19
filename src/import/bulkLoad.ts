import type BetterSqlite3 from 'better-sqlite3'
import { COLUMN } from './customerColumns.js'
import type { CustomerStore, StoredRow } from './customerWriter.js'

/**
 * An import into an empty customers table: its secondary indexes (and its tag links') are dropped when the
 * import's transaction begins and built again just before it commits (a sorted build is
 * cheaper than a million random b-tree inserts: docs/benchmarks.md, "indexes after"). SQLite
 * DDL is transactional, so a failed or dry-run import rolls back to the table with every index.
 *
 * Without its indexes the table cannot answer "who has this external id or email" quickly,
 * so this store answers from maps of the rows this import wrote. Every row in the table is
 * one of those (the table was empty), so the maps are complete.
 */
export interface BulkLoad {
  store: CustomerStore
  /** Builds the dropped indexes again, inside the import's transaction. */
  finish(): void
}

interface IndexDef {
  name: string
  sql: string
}

/** Starts a bulk load when the customers table is empty; null when it holds any row. */
export function startBulkLoad(sqlite: BetterSqlite3.Database, base: CustomerStore): BulkLoad | null {
  if (sqlite.prepare('select 1 from customers limit 1').get() !== undefined) return null
  // The tag links of an empty table are empty too (they reference customers): their index waits as well.
  const indexes = sqlite
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and sql is not null
       and (tbl_name = 'customers' or (tbl_name = 'customer_tags' and not exists (select 1 from customer_tags))) order by tbl_name, name`,
    )
    .all() as IndexDef[]
  for (const ix of indexes) sqlite.exec(`drop index "${ix.name.replace(/"/g, '""')}"`)
  const lookup = importedLookup()
  return {
    store: {
      byExternalId: (x) => byIdOrUndefined(base, lookup.externalId(x)),
      byEmail: (x) => byIdOrUndefined(base, lookup.email(x)),
      byId: base.byId,
      insert(values, now) {
        const id = base.insert(values, now)
        lookup.add(id, values[EXTERNAL_ID] ?? null, values[EMAIL_NORM] ?? null)
        return id
      },
      update(id, values, now) {
        const before = base.byId(id)
        base.update(id, values, now)
        lookup.change(id, before, values[EXTERNAL_ID] ?? null, values[EMAIL_NORM] ?? null)
      },
      linkTag: base.linkTag,
    },
    finish() {
      for (const ix of indexes) sqlite.exec(ix.sql)
    },
  }
}

const EXTERNAL_ID = COLUMN.external_id
const EMAIL_NORM = COLUMN.email_norm

function byIdOrUndefined(base: CustomerStore, id: number | undefined): StoredRow | undefined {
  return id === undefined ? undefined : base.byId(id)
}

/**
 * External id → customer id, and normalised email → the ids with that email, lowest first
 * (the writer matches the lowest-id customer with an email, as `order by id limit 1` does).
 * Most emails belong to one customer: a number, promoted to a list only when shared.
 */
function importedLookup() {
  const externalIds = new Map<string, number>()
  const emails = new Map<string, number | number[]>()
  const addEmail = (email: string, id: number) => {
    const had = emails.get(email)
    if (had === undefined) emails.set(email, id)
    else if (typeof had === 'number') emails.set(email, had < id ? [had, id] : [id, had])
    else if (!had.includes(id)) {
      had.push(id)
      had.sort((a, b) => a - b)
    }
  }
  const removeEmail = (email: string, id: number) => {
    const had = emails.get(email)
    if (had === id) emails.delete(email)
    else if (Array.isArray(had)) {
      const rest = had.filter((x) => x !== id)
      emails.set(email, rest.length === 1 ? rest[0]! : rest)
    }
  }
  return {
    externalId: (x: string) => externalIds.get(x),
    email(x: string): number | undefined {
      const had = emails.get(x)
      return typeof had === 'number' ? had : had?.[0]
    },
    add(id: number, externalId: string | null, emailNorm: string | null) {
      if (externalId !== null) externalIds.set(externalId, id)
      if (emailNorm !== null) addEmail(emailNorm, id)
    },
    change(id: number, before: StoredRow | undefined, externalId: string | null, emailNorm: string | null) {
      if (before?.external_id && before.external_id !== externalId && externalIds.get(before.external_id) === id) externalIds.delete(before.external_id)
      if (externalId !== null) externalIds.set(externalId, id)
      if (before?.email_norm && before.email_norm !== emailNorm) removeEmail(before.email_norm, id)
      if (emailNorm !== null) addEmail(emailNorm, id)
    },
  }
}
