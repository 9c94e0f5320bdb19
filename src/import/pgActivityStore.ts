import { sql, type Kysely } from 'kysely'
import { normaliseEmail } from '../customers/customerKeys.js'
import { insertRows, updateRowsById } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import type { CustomerRef, InteractionInput, NpsInput, PurchaseInput } from './activityRows.js'
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
/**
 * The customers a batch names, by external id and by email (lowest id first), as the
 * SQLite resolver finds them (src/import/activityWriter.ts customerResolver).
 */
export function pgCustomerRefs(trx: Kysely<Database>) {
  const byExt = new Map<string, number>()
  const byEmail = new Map<string, number>()
  return {
    resolve(ref: CustomerRef): number | undefined {
      if (ref.externalId) {
        const id = byExt.get(ref.externalId)
        if (id !== undefined) return id
      }
      const email = normaliseEmail(ref.email)
      return email ? byEmail.get(email) : undefined
    },
    /** Loads the customers these refs name; returns their ids. */
    async load(refs: CustomerRef[]): Promise<number[]> {
      byExt.clear()
      byEmail.clear()
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
      const found = [...byExtRows, ...byEmailRows].sort((a, b) => a.id - b.id)
      for (const c of found) {
        if (c.external_id) byExt.set(c.external_id, c.id)
        if (c.email_norm && !byEmail.has(c.email_norm)) byEmail.set(c.email_norm, c.id)
      }
      return [...new Set(found.map((c) => c.id))]
    },
  }
}

export function pgPurchaseStore(trx: Kysely<Database>, now: string) {
  const refs = pgCustomerRefs(trx)
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
    resolve: refs.resolve,
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
    async load(batchRefs: CustomerRef[], orders: string[]): Promise<void> {
      byKey.clear()
      const ids = await refs.load(batchRefs)
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

/** Contacts on PostgreSQL, a batch per round trip, matched like interactionWriter (same customer, time, channel, kind and note). */
export function pgInteractionStore(trx: Kysely<Database>, now: string) {
  const refs = pgCustomerRefs(trx)
  const seen = new Set<string>()
  const inserts: unknown[][] = []
  const keyOf = (customerId: number, i: Pick<InteractionInput, 'occurred_at' | 'channel' | 'kind' | 'note'>) =>
    JSON.stringify([customerId, i.occurred_at, i.channel, i.kind, i.note])
  return {
    resolve: refs.resolve,
    write(customerId: number, i: InteractionInput, onConflict: OnConflict): ActivityOutcome {
      const key = keyOf(customerId, i)
      if (seen.has(key)) return onConflict === 'error' ? 'conflict' : onConflict === 'skip' ? 'skipped' : 'unchanged'
      seen.add(key)
      inserts.push([customerId, i.occurred_at, i.channel, i.kind, i.note, now, now])
      return 'inserted'
    },
    async load(batch: InteractionInput[]): Promise<void> {
      seen.clear()
      const ids = await refs.load(batch.map((i) => i.ref))
      const times = [...new Set(batch.map((i) => i.occurred_at))]
      if (ids.length === 0 || times.length === 0) return
      const stored = await sql<{ customer_id: number } & Pick<InteractionInput, 'occurred_at' | 'channel' | 'kind' | 'note'>>`
        select customer_id, occurred_at, channel, kind, note from interactions
        where customer_id = any(${ids}::integer[]) and occurred_at = any(${times}::text[])`.execute(trx)
      for (const r of stored.rows) seen.add(keyOf(r.customer_id, r))
    },
    async flush(): Promise<void> {
      await insertRows(trx, 'interactions', ['customer_id', 'occurred_at', 'channel', 'kind', 'note', 'created_at', 'updated_at'], inserts)
      inserts.length = 0
    },
  }
}

/** NPS answers on PostgreSQL, matched like npsWriter: the same customer (or anonymous), time and campaign. */
export function pgNpsStore(trx: Kysely<Database>, now: string) {
  const refs = pgCustomerRefs(trx)
  type StoredAnswer = { id: number; score: number; comment: string | null }
  const byKey = new Map<string, StoredAnswer>()
  const inserts = new Map<number, unknown[]>()
  const updates = new Map<number, StoredAnswer>()
  let nextTemp = TEMP_BASE
  const keyOf = (customerId: number | null, answeredAt: string, campaign: string | null) => JSON.stringify([customerId, answeredAt, campaign])
  return {
    resolve: refs.resolve,
    write(customerId: number | null, a: NpsInput, onConflict: OnConflict): ActivityOutcome {
      const key = keyOf(customerId, a.answered_at, a.campaign)
      const stored = byKey.get(key)
      if (!stored) {
        const id = nextTemp++
        inserts.set(id, [customerId, a.score, a.comment, a.answered_at, a.campaign, now, now])
        byKey.set(key, { id, score: a.score, comment: a.comment })
        return 'inserted'
      }
      if (onConflict === 'skip') return 'skipped'
      if (onConflict === 'error') return 'conflict'
      if (stored.score === a.score && stored.comment === a.comment) return 'unchanged'
      stored.score = a.score
      stored.comment = a.comment
      const pending = inserts.get(stored.id)
      if (pending) inserts.set(stored.id, [pending[0], a.score, a.comment, ...pending.slice(3)])
      else updates.set(stored.id, stored)
      return 'updated'
    },
    async load(batch: NpsInput[]): Promise<void> {
      byKey.clear()
      await refs.load(batch.map((a) => a.ref))
      const times = [...new Set(batch.map((a) => a.answered_at))]
      if (times.length === 0) return
      const stored = await sql<StoredAnswer & { customer_id: number | null; answered_at: string; campaign: string | null }>`
        select id, customer_id, score, comment, answered_at, campaign from nps_answers
        where answered_at = any(${times}::text[]) order by id`.execute(trx)
      // Like the SQLite lookup, the first (lowest id) of equal answers is the one matched.
      for (const r of stored.rows) {
        const key = keyOf(r.customer_id, r.answered_at, r.campaign)
        if (!byKey.has(key)) byKey.set(key, { id: r.id, score: r.score, comment: r.comment })
      }
    },
    async flush(): Promise<void> {
      await insertRows(trx, 'nps_answers', ['customer_id', 'score', 'comment', 'answered_at', 'campaign', 'created_at', 'updated_at'], [...inserts.values()])
      await updateRowsById(
        trx,
        'nps_answers',
        ['score', 'comment', 'updated_at'],
        [...updates.values()].map((u) => ({ id: u.id, values: [u.score, u.comment, now] })),
        { score: 'integer' },
      )
      inserts.clear()
      updates.clear()
    },
  }
}
