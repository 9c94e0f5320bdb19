import { sql, type Kysely } from 'kysely'
import { normaliseEmail } from '../customers/customerKeys.js'
import { insertRows, updateRowsById } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import type { CustomerRef, PurchaseInput } from './activityRows.js'
import type { ActivityOutcome } from './activityWriter.js'
import type { OnConflict } from './customerWriter.js'

const PURCHASE_COLUMNS = ['customer_id', 'purchased_at', 'product', 'category', 'quantity', 'amount_cents', 'currency', 'order_id', 'line'] as const
const INTEGER_COLUMNS = { customer_id: 'integer', quantity: 'integer', amount_cents: 'integer', line: 'integer' }
type Stored = { id: number; values: unknown[] }

/** Above every real id: marks a purchase of this batch not yet written. */
const TEMP_BASE = 2 ** 40

/**
 * Purchases on PostgreSQL, a batch per round trip: `load()` fetches the customers the
 * batch names and the purchases it may repeat; the same matching rules as the SQLite
 * writer (src/import/activityWriter.ts) then run against that cache; `flush()` writes.
 */
export function pgPurchaseStore(trx: Kysely<Database>, now: string) {
  const byExt = new Map<string, number>()
  const byEmail = new Map<string, number>()
  const byKey = new Map<string, Stored>()
  const inserts = new Map<number, unknown[]>()
  const updates = new Map<number, unknown[]>()
  let nextTemp = TEMP_BASE

  const keyOf = (v: readonly unknown[]): string => {
    const [customer, at, product, , , amount, , order, line] = v
    if (order != null) return JSON.stringify(line != null ? ['ol', order, line] : ['op', order, product])
    return JSON.stringify(['n', customer, at, product, amount])
  }
  const remember = (s: Stored) => {
    const k = keyOf(s.values)
    const had = byKey.get(k)
    // Like the SQLite lookup, the first (lowest id) of equal purchases is the one matched.
    if (!had || had.id > s.id) byKey.set(k, s)
  }

  return {
    resolve(ref: CustomerRef): number | undefined {
      if (ref.externalId) {
        const id = byExt.get(ref.externalId)
        if (id !== undefined) return id
      }
      const email = normaliseEmail(ref.email)
      return email ? byEmail.get(email) : undefined
    },
    write(customerId: number, p: PurchaseInput, onConflict: OnConflict): ActivityOutcome {
      const values = [customerId, p.purchased_at, p.product, p.category, p.quantity, p.amount_cents, p.currency, p.order_id, p.line]
      const stored = byKey.get(keyOf(values))
      if (!stored) {
        const id = nextTemp++
        inserts.set(id, values)
        remember({ id, values })
        return 'inserted'
      }
      if (onConflict === 'skip') return 'skipped'
      if (onConflict === 'error') return 'conflict'
      if (values.every((v, i) => stored.values[i] === v)) return 'unchanged'
      stored.values = values
      if (inserts.has(stored.id)) inserts.set(stored.id, values)
      else updates.set(stored.id, values)
      return 'updated'
    },
    async load(refs: CustomerRef[], orders: string[]): Promise<void> {
      byExt.clear()
      byEmail.clear()
      byKey.clear()
      const ext = [...new Set(refs.map((r) => r.externalId).filter((x): x is string => !!x))]
      const emails = [...new Set(refs.map((r) => normaliseEmail(r.email)).filter((x): x is string => !!x))]
      type Found = { id: number; external_id: string | null; email_norm: string | null }
      // Two index lookups, not one OR: the planner may scan the table for an OR of two ANYs.
      const byExtRows = ext.length
        ? (await sql<Found>`select id, external_id, email_norm from customers where forgotten_at is null and external_id = any(${ext}::text[])`.execute(trx)).rows
        : []
      const byEmailRows = emails.length
        ? (await sql<Found>`select id, external_id, email_norm from customers where forgotten_at is null and email_norm = any(${emails}::text[])`.execute(trx)).rows
        : []
      const found = { rows: [...byExtRows, ...byEmailRows].sort((a, b) => a.id - b.id) }
      for (const c of found.rows) {
        if (c.external_id) byExt.set(c.external_id, c.id)
        if (c.email_norm && !byEmail.has(c.email_norm)) byEmail.set(c.email_norm, c.id)
      }
      const ids = [...new Set(found.rows.map((c) => c.id))]
      const cols = sql.join(PURCHASE_COLUMNS.map((c) => sql.ref(c)))
      type Row = Record<string, unknown> & { id: number }
      const uniqueOrders = [...new Set(orders)]
      const stored = [
        ...(uniqueOrders.length
          ? (await sql<Row>`select id, ${cols} from purchases where order_id = any(${uniqueOrders}::text[])`.execute(trx)).rows
          : []),
        ...(ids.length
          ? (await sql<Row>`select id, ${cols} from purchases where customer_id = any(${ids}::integer[]) and order_id is null`.execute(trx)).rows
          : []),
      ].sort((a, b) => a.id - b.id)
      for (const r of stored) remember({ id: r.id, values: PURCHASE_COLUMNS.map((c) => r[c]) })
    },
    async flush(): Promise<void> {
      await insertRows(trx, 'purchases', [...PURCHASE_COLUMNS, 'created_at', 'updated_at'], [...inserts.values()].map((v) => [...v, now, now]))
      await updateRowsById(
        trx,
        'purchases',
        [...PURCHASE_COLUMNS, 'updated_at'],
        [...updates].map(([id, v]) => ({ id, values: [...v, now] })),
        INTEGER_COLUMNS,
      )
      inserts.clear()
      updates.clear()
    },
  }
}
