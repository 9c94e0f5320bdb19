import { sql, type Kysely, type RawBuilder } from 'kysely'
import type { Database } from '../db/schema.js'
import { customerConditions, customerIdsMatching, purchaseWindow, usesSqlite, type FilterContext, type PurchaseWindow } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'

export type { FilterContext, PurchaseWindow }

/**
 * `purchases.customer_id in (…)`: the purchase lines of the customers the filter selects
 * (never an erased customer's). The spec must have its segment resolved.
 */
export function purchasesOfSelected(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext): RawBuilder<boolean> {
  // No condition on the customer: exclude the few erased ones rather than list a million ids.
  if (selectsEveryone(db, spec, ctx)) return sql<boolean>`purchases.customer_id not in (select customers.id from customers where customers.forgotten_at is not null)`
  return sql<boolean>`purchases.customer_id in (${customerIdsMatching(db, spec, ctx)})`
}

/** True when the spec puts no condition on the customer (a purchase window alone does not). */
export function selectsEveryone(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext): boolean {
  return spec.segment === undefined && customerConditions(spec, ctx, usesSqlite(db)).length === 0
}

/** `purchased_at` in the filter's purchase window (all time when it has none). */
export function inPurchaseWindow(spec: FilterSpec, ctx: FilterContext): RawBuilder<boolean> {
  const w = purchaseWindow(spec, ctx)
  const parts: RawBuilder<unknown>[] = []
  if (w.from !== null) parts.push(sql`purchases.purchased_at >= ${w.from}`)
  if (w.to !== null) parts.push(sql`purchases.purchased_at < ${w.to}`)
  return parts.length ? sql<boolean>`(${sql.join(parts, sql` and `)})` : sql<boolean>`1 = 1`
}

/** A line in this category, case-insensitive the way the filter's --category is (SQLite lower() folds ASCII only). */
export function inCategory(category: string): RawBuilder<boolean> {
  return sql<boolean>`lower(purchases.category) = ${category.replace(/[A-Z]/g, (c) => c.toLowerCase())}`
}

/** Contact channels a person refused, with the fields each one would reveal. */
export interface ConsentColumns {
  consent_email: string
  consent_mail: string
  consent_sms: string
  consent_phone: string
}

/** True when the customer refused every channel: such a person is left out of contact lists. */
export function refusedEverything(c: ConsentColumns): boolean {
  return c.consent_email === 'refused' && c.consent_mail === 'refused' && c.consent_sms === 'refused' && c.consent_phone === 'refused'
}

export interface ContactDetails {
  email: string | null
  phone: string | null
  street: string | null
  city: string | null
  region: string | null
  postal_code: string | null
  country: string | null
}

/**
 * Contact details with the refused channels blanked: email when email is refused, the
 * phone number when both calls and texts are refused, the postal address when post is.
 */
export function consentedContact<T extends ContactDetails>(c: T & ConsentColumns): ContactDetails {
  const post = c.consent_mail !== 'refused'
  return {
    email: c.consent_email === 'refused' ? null : c.email,
    phone: c.consent_phone === 'refused' && c.consent_sms === 'refused' ? null : c.phone,
    street: post ? c.street : null,
    city: post ? c.city : null,
    region: post ? c.region : null,
    postal_code: post ? c.postal_code : null,
    country: post ? c.country : null,
  }
}
