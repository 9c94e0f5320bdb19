import { sql, type Kysely } from 'kysely'
import type { ConsentChannel, Customer, Database } from '../db/schema.js'
import { consentOf, type ConsentState } from './setConsent.js'
import { EDITABLE_FIELDS, type EditableField } from './customerFields.js'
import { tagsOf } from './tagCustomer.js'
import { customFieldValues } from '../fields/fieldValues.js'
import type { ShownValue } from '../fields/fieldValue.js'

export interface SpendSummary {
  currency: string
  /** Purchase lines (refunds included). */
  purchases: number
  /** Net of refunds, minor units. */
  total_cents: number
  average_cents: number
}

export interface PurchaseSummary {
  count: number
  first: string | null
  last: string | null
  favourite_category: string | null
  by_currency: SpendSummary[]
}

export interface CustomerProfile {
  id: number
  fields: Record<EditableField, string | null>
  phone_e164: string | null
  extra: Record<string, unknown> | null
  /** The shop's own fields that have a value, in field order. */
  custom: Array<{ name: string; label: string | null; type: string; value: ShownValue }>
  tags: string[]
  consent: Record<ConsentChannel, ConsentState>
  purchases: PurchaseSummary
  last_contacts: Array<{ occurred_at: string; channel: string; kind: string; note: string | null }>
  nps: Array<{ answered_at: string; score: number; comment: string | null; campaign: string | null }>
  created_at: string
  updated_at: string
  forgotten_at: string | null
}

const LAST_CONTACTS = 5
const LAST_ANSWERS = 10

/** Everything `crm show` prints about one customer, as data. */
export async function customerProfile(db: Kysely<Database>, c: Customer, currency = 'USD'): Promise<CustomerProfile> {
  const fields = Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, c[f]])) as Record<EditableField, string | null>
  const span = await db
    .selectFrom('purchases')
    .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('purchased_at').as('first'), eb.fn.max('purchased_at').as('last')])
    .where('customer_id', '=', c.id)
    .executeTakeFirstOrThrow()
  const byCurrency = await db
    .selectFrom('purchases')
    .select((eb) => ['currency', eb.fn.countAll<number>().as('purchases'), eb.fn.sum<number>('amount_cents').as('total_cents')])
    .where('customer_id', '=', c.id)
    .groupBy('currency')
    .orderBy('currency')
    .execute()
  // The category bought most often (by lines, refunds not counted); ties go to the most spent.
  const favourite = await db
    .selectFrom('purchases')
    .select('category')
    .where('customer_id', '=', c.id)
    .where('category', 'is not', null)
    .where('amount_cents', '>=', 0)
    .groupBy('category')
    .orderBy(sql`count(*)`, 'desc')
    .orderBy(sql`sum(amount_cents)`, 'desc')
    .orderBy('category')
    .limit(1)
    .executeTakeFirst()
  const contacts = await db
    .selectFrom('interactions')
    .select(['occurred_at', 'channel', 'kind', 'note'])
    .where('customer_id', '=', c.id)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(LAST_CONTACTS)
    .execute()
  const nps = await db
    .selectFrom('nps_answers')
    .select(['answered_at', 'score', 'comment', 'campaign'])
    .where('customer_id', '=', c.id)
    .orderBy('answered_at', 'desc')
    .limit(LAST_ANSWERS)
    .execute()
  return {
    id: c.id,
    fields,
    phone_e164: c.phone_e164,
    extra: c.extra ? (JSON.parse(c.extra) as Record<string, unknown>) : null,
    custom: await customFieldValues(db, c.id, currency),
    tags: await tagsOf(db, c.id),
    consent: consentOf(c),
    purchases: {
      count: Number(span.count),
      first: span.first ?? null,
      last: span.last ?? null,
      favourite_category: favourite?.category ?? null,
      by_currency: byCurrency.map((r) => {
        const n = Number(r.purchases)
        const total = Number(r.total_cents)
        return { currency: r.currency, purchases: n, total_cents: total, average_cents: Math.round(total / n) }
      }),
    },
    last_contacts: contacts,
    nps,
    created_at: c.created_at,
    updated_at: c.updated_at,
    forgotten_at: c.forgotten_at,
  }
}
