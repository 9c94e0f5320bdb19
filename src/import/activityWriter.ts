import type BetterSqlite3 from 'better-sqlite3'
import { normaliseEmail } from '../customers/customerKeys.js'
import type { CustomerRef, InteractionInput, NpsInput, PurchaseInput } from './activityRows.js'
import type { OnConflict } from './customerWriter.js'

export type ActivityOutcome = 'inserted' | 'updated' | 'unchanged' | 'skipped' | 'conflict'

/**
 * Finds the customer a purchase, contact or answer belongs to: external id first, then email.
 * An activity import writes no customers, so an answer holds for the whole import: a
 * customer's lines are looked up once, not once a line (a tenth of a purchases import's time).
 */
export function customerResolver(sqlite: BetterSqlite3.Database) {
  const byExternalId = sqlite.prepare('select id from customers where external_id = ? and forgotten_at is null').pluck()
  const byEmail = sqlite.prepare('select id from customers where email_norm = ? and forgotten_at is null order by id limit 1').pluck()
  const lookup = (ref: CustomerRef): number | undefined => {
    if (ref.externalId) {
      const id = byExternalId.get(ref.externalId) as number | undefined
      if (id !== undefined) return id
    }
    const email = normaliseEmail(ref.email)
    return email ? (byEmail.get(email) as number | undefined) : undefined
  }
  // Bounded, so memory does not grow with the file: emptied when full.
  const known = new Map<string, number | undefined>()
  return (ref: CustomerRef): number | undefined => {
    const key = `${ref.externalId ?? ''}\u0000${ref.email ?? ''}`
    if (known.has(key)) return known.get(key)
    const id = lookup(ref)
    if (known.size >= 100_000) known.clear()
    known.set(key, id)
    return id
  }
}

export function describeRef(ref: CustomerRef): string {
  return ref.externalId && ref.email ? `${ref.externalId} / ${ref.email}` : (ref.externalId ?? ref.email ?? '?')
}

/**
 * Purchases are the same purchase when they share order id and line (or order id and
 * product where there is no line); without an order id, customer, time, product and amount.
 */
export function purchaseWriter(sqlite: BetterSqlite3.Database, now: string) {
  const byOrderLine = sqlite.prepare('select * from purchases where order_id = ? and line = ?')
  const byOrderProduct = sqlite.prepare('select * from purchases where order_id = ? and line is null and product is ?')
  const byNatural = sqlite.prepare(
    'select * from purchases where customer_id = ? and purchased_at = ? and product is ? and amount_cents = ? and order_id is null',
  )
  const insert = sqlite.prepare(
    `insert into purchases (customer_id, purchased_at, product, category, quantity, amount_cents, currency, order_id, line, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  )
  const update = sqlite.prepare(
    `update purchases set customer_id = ?, purchased_at = ?, product = ?, category = ?, quantity = ?, amount_cents = ?,
     currency = ?, order_id = ?, line = ?, updated_at = ? where id = ?`,
  )
  type Stored = Record<string, unknown> & { id: number }
  return (customerId: number, p: PurchaseInput, onConflict: OnConflict): ActivityOutcome => {
    const stored = (
      p.order_id != null
        ? p.line != null
          ? byOrderLine.get(p.order_id, p.line)
          : byOrderProduct.get(p.order_id, p.product)
        : byNatural.get(customerId, p.purchased_at, p.product, p.amount_cents)
    ) as Stored | undefined
    const values = [customerId, p.purchased_at, p.product, p.category, p.quantity, p.amount_cents, p.currency, p.order_id, p.line]
    if (!stored) {
      insert.run(...values, now, now)
      return 'inserted'
    }
    if (onConflict === 'skip') return 'skipped'
    if (onConflict === 'error') return 'conflict'
    const keys = ['customer_id', 'purchased_at', 'product', 'category', 'quantity', 'amount_cents', 'currency', 'order_id', 'line']
    if (keys.every((k, i) => stored[k] === values[i])) return 'unchanged'
    update.run(...values, now, stored.id)
    return 'updated'
  }
}

/** A contact is the same contact when customer, time, channel, kind and note all agree. */
export function interactionWriter(sqlite: BetterSqlite3.Database, now: string) {
  const existing = sqlite.prepare(
    'select id from interactions where customer_id = ? and occurred_at = ? and channel = ? and kind = ? and note is ?',
  )
  const insert = sqlite.prepare(
    'insert into interactions (customer_id, occurred_at, channel, kind, note, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)',
  )
  return (customerId: number, i: InteractionInput, onConflict: OnConflict): ActivityOutcome => {
    if (existing.get(customerId, i.occurred_at, i.channel, i.kind, i.note)) {
      return onConflict === 'error' ? 'conflict' : onConflict === 'skip' ? 'skipped' : 'unchanged'
    }
    insert.run(customerId, i.occurred_at, i.channel, i.kind, i.note, now, now)
    return 'inserted'
  }
}

/** An answer is the same answer when customer (or anonymous), time and campaign agree. */
export function npsWriter(sqlite: BetterSqlite3.Database, now: string) {
  const existing = sqlite.prepare(
    'select id, score, comment from nps_answers where customer_id is ? and answered_at = ? and campaign is ?',
  )
  const insert = sqlite.prepare(
    'insert into nps_answers (customer_id, score, comment, answered_at, campaign, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)',
  )
  const update = sqlite.prepare('update nps_answers set score = ?, comment = ?, updated_at = ? where id = ?')
  return (customerId: number | null, a: NpsInput, onConflict: OnConflict): ActivityOutcome => {
    const stored = existing.get(customerId, a.answered_at, a.campaign) as { id: number; score: number; comment: string | null } | undefined
    if (!stored) {
      insert.run(customerId, a.score, a.comment, a.answered_at, a.campaign, now, now)
      return 'inserted'
    }
    if (onConflict === 'skip') return 'skipped'
    if (onConflict === 'error') return 'conflict'
    if (stored.score === a.score && stored.comment === a.comment) return 'unchanged'
    update.run(a.score, a.comment, now, stored.id)
    return 'updated'
  }
}
