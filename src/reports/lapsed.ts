import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { usesSqlite } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { addDays, localDate, startOfLocalDay } from '../query/localTime.js'
import { consentedContact, purchasesOfSelected, refusedEverything, type ConsentColumns, type ContactDetails, type FilterContext } from './reportScope.js'

export interface LapsedRow {
  id: number
  first_name: string | null
  last_name: string | null
  email: string | null
  phone: string | null
  last_purchase_at: string
  /** Whole days (24 h) since the last order. */
  days_inactive: number
  /** Orders ever (refund lines are not orders). */
  orders: number
  /** Net spend ever in the base currency, refunds subtracted. */
  lifetime_spent_cents: number
}

type LapsedCustomer = ContactDetails &
  ConsentColumns & { id: number; first_name: string | null; last_name: string | null; last_at: string; orders: number; spent: number }

/** Rows most valuable first (then longest gone, then id); consent honoured as in birthdays. */
export function lapsedRows(customers: readonly LapsedCustomer[], now: Date): LapsedRow[] {
  return customers
    .filter((c) => !refusedEverything(c))
    .map((c) => {
      const contact = consentedContact(c)
      return {
        id: c.id, first_name: c.first_name, last_name: c.last_name, email: contact.email, phone: contact.phone,
        last_purchase_at: c.last_at, days_inactive: Math.floor((now.getTime() - Date.parse(c.last_at)) / 86_400_000),
        orders: Number(c.orders), lifetime_spent_cents: Number(c.spent),
      }
    })
    .sort((a, b) => b.lifetime_spent_cents - a.lifetime_spent_cents || a.last_purchase_at.localeCompare(b.last_purchase_at) || a.id - b.id)
}

/**
 * Customers who bought before and stopped: the filter's `--inactive-days N` (an order once,
 * none since local midnight N days ago) with their lifetime spend, most valuable first.
 * The inactivity test is applied to the per-customer totals (last order before the cutoff)
 * rather than through the filter's two probes per customer: one streamed pass over
 * purchases_customer, the same customers.
 */
export async function lapsedReport(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext): Promise<LapsedRow[]> {
  const { inactiveDays, ...rest } = spec
  const tz = ctx.config.timezone
  const cutoff = inactiveDays === undefined ? null : startOfLocalDay(addDays(localDate(ctx.now, tz), -inactiveDays), tz).toISOString()
  const hint = usesSqlite(db) ? sql` indexed by purchases_customer` : sql``
  const r = await sql<LapsedCustomer>`
    select c.id, c.first_name, c.last_name, c.email, c.phone, c.street, c.city, c.region, c.postal_code, c.country,
      c.consent_email, c.consent_mail, c.consent_sms, c.consent_phone, l.last_at, l.orders, l.spent
    from (
      select purchases.customer_id, max(case when purchases.amount_cents >= 0 then purchases.purchased_at end) as last_at,
        count(distinct case when purchases.amount_cents >= 0 then coalesce(purchases.order_id, '#' || purchases.id) end) as orders,
        coalesce(sum(case when purchases.currency = ${ctx.config.currency} then purchases.amount_cents end), 0) as spent
      from purchases${hint} where ${purchasesOfSelected(db, rest, ctx)}
      group by purchases.customer_id
      having last_at is not null ${cutoff === null ? sql`` : sql`and last_at < ${cutoff}`}
    ) l join customers c on c.id = l.customer_id`.execute(db)
  return lapsedRows(r.rows, ctx.now)
}
