import { sql, type Kysely } from 'kysely'
import { insertRows, reserveIds, updateRowsById } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import { COLUMNS, type CustomerStore, type StoredRow } from './customerWriter.js'
import { COLUMN, type PreparedCustomer } from './customerColumns.js'

/** Ids handed out before a flush; above every real id, so "lowest id first" still holds. */
const TEMP_BASE = 2 ** 40

/**
 * The PostgreSQL side of the customer writer: one round trip per batch, not per row.
 * `load()` fetches every stored customer a batch can match (by external id or email) and
 * their tags; the writer then runs unchanged against this cache, and `flush()` writes
 * the batch's inserts, updates and tag links as multi-row statements.
 */
export function pgCustomerStore(trx: Kysely<Database>) {
  const byExt = new Map<string, StoredRow>()
  const byEmail = new Map<string, StoredRow[]>()
  const byId = new Map<number, StoredRow>()
  const links = new Set<string>()
  const inserts = new Map<number, Array<string | null>>()
  const updates = new Map<number, Array<string | null>>()
  const newLinks: Array<[number, string]> = []
  let nextTemp = TEMP_BASE
  let batchNow = ''

  function index(row: StoredRow): void {
    byId.set(row.id, row)
    if (row.external_id) byExt.set(row.external_id, row)
    if (row.email_norm) {
      const list = byEmail.get(row.email_norm) ?? []
      if (!list.includes(row)) list.push(row)
      list.sort((a, b) => a.id - b.id)
      byEmail.set(row.email_norm, list)
    }
  }

  function unindex(row: StoredRow): void {
    if (row.external_id && byExt.get(row.external_id) === row) byExt.delete(row.external_id)
    if (row.email_norm) {
      const list = (byEmail.get(row.email_norm) ?? []).filter((r) => r !== row)
      if (list.length) byEmail.set(row.email_norm, list)
      else byEmail.delete(row.email_norm)
    }
  }

  function toRow(id: number, values: Array<string | null>): StoredRow {
    const row = { id, forgotten_at: null } as StoredRow
    COLUMNS.forEach((c, i) => (row[c] = values[i] ?? null))
    return row
  }

  const store: CustomerStore = {
    byExternalId: (x) => byExt.get(x),
    byEmail: (x) => byEmail.get(x)?.[0],
    byId: (x) => byId.get(x),
    insert(values, now) {
      batchNow = now
      const id = nextTemp++
      inserts.set(id, values)
      index(toRow(id, values))
      return id
    },
    update(id, values, now) {
      batchNow = now
      const old = byId.get(id)
      if (old) unindex(old)
      index(toRow(id, values))
      if (inserts.has(id)) inserts.set(id, values)
      else updates.set(id, values)
    },
    linkTag(customerId, name) {
      const key = `${customerId}\u0000${name}`
      if (links.has(key)) return false
      links.add(key)
      newLinks.push([customerId, name])
      return true
    },
  }

  return {
    store,
    /** Fetches the customers this batch may match (and `ids`: likely duplicates found by the dedupe scorer). */
    async load(batch: PreparedCustomer[], ids: number[] = []): Promise<void> {
      byExt.clear()
      byEmail.clear()
      byId.clear()
      links.clear()
      const ext = [...new Set(batch.map((p) => p.columns[COLUMN.external_id]).filter((x): x is string => !!x))]
      const emails = [...new Set(batch.map((p) => p.columns[COLUMN.email_norm]).filter((x): x is string => !!x))]
      const wantedIds = [...new Set(ids)]
      if (ext.length === 0 && emails.length === 0 && wantedIds.length === 0) return
      // Two index lookups, not one OR: the planner may scan the table for an OR of two ANYs.
      const found = { rows: [] as StoredRow[] }
      const seen = new Set<number>()
      for (const part of [
        ext.length ? await sql<StoredRow>`select * from customers where external_id = any(${ext}::text[])`.execute(trx) : null,
        emails.length ? await sql<StoredRow>`select * from customers where email_norm = any(${emails}::text[])`.execute(trx) : null,
        wantedIds.length ? await sql<StoredRow>`select * from customers where id = any(${wantedIds}::integer[])`.execute(trx) : null,
      ]) {
        for (const row of part?.rows ?? []) {
          if (seen.has(row.id)) continue
          seen.add(row.id)
          found.rows.push(row)
        }
      }
      for (const row of found.rows) index(row)
      if (found.rows.length === 0) return
      const tagged = await sql<{ customer_id: number; name: string }>`select ct.customer_id, t.name from customer_tags ct
        join tags t on t.id = ct.tag_id where ct.customer_id = any(${found.rows.map((r) => r.id)}::integer[])`.execute(trx)
      for (const t of tagged.rows) links.add(`${t.customer_id}\u0000${t.name}`)
    },
    /** Writes what the batch changed: inserts with reserved ids, updates, tags and links; returns temporary id → real id. */
    async flush(): Promise<Map<number, number>> {
      const real = new Map<number, number>()
      const ids = await reserveIds(trx, 'customers', inserts.size)
      let i = 0
      for (const temp of inserts.keys()) real.set(temp, ids[i++]!)
      await insertRows(
        trx,
        'customers',
        ['id', ...COLUMNS, 'created_at', 'updated_at'],
        [...inserts].map(([temp, values]) => [real.get(temp)!, ...values, batchNow, batchNow]),
      )
      await updateRowsById(
        trx,
        'customers',
        [...COLUMNS, 'updated_at'],
        [...updates].map(([id, values]) => ({ id, values: [...values, batchNow] })),
      )
      if (newLinks.length) {
        const names = [...new Set(newLinks.map(([, name]) => name))]
        await insertRows(trx, 'tags', ['name'], names.map((n) => [n]), 'nothing')
        const tagIds = await sql<{ id: number; name: string }>`select id, name from tags where name = any(${names}::text[])`.execute(trx)
        const tagId = new Map(tagIds.rows.map((t) => [t.name, t.id]))
        await insertRows(
          trx,
          'customer_tags',
          ['customer_id', 'tag_id'],
          newLinks.map(([c, name]) => [real.get(c) ?? c, tagId.get(name)!]),
          'nothing',
        )
      }
      inserts.clear()
      updates.clear()
      newLinks.length = 0
      return real
    },
  }
}
