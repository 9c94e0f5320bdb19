import type { Kysely } from 'kysely'
import type { Customer, Database } from '../db/schema.js'
import { tagsOf } from '../customers/tagCustomer.js'
import { customFieldValues } from '../fields/fieldValues.js'

/**
 * Everything held about one person (a subject access request), as one JSON-ready
 * object: the record with every column, its custom field values, tags, purchases, contacts, NPS answers and
 * the audit rows about them.
 */
export async function personData(db: Kysely<Database>, c: Customer, exportedAt: string, currency = 'USD') {
  const { extra, ...columns } = c
  return {
    exported_at: exportedAt,
    customer: { ...columns, extra: extra ? (JSON.parse(extra) as unknown) : null },
    custom_fields: await customFieldValues(db, c.id, currency),
    tags: await tagsOf(db, c.id),
    purchases: await db.selectFrom('purchases').selectAll().where('customer_id', '=', c.id).orderBy('purchased_at').orderBy('id').execute(),
    contacts: await db.selectFrom('interactions').selectAll().where('customer_id', '=', c.id).orderBy('occurred_at').orderBy('id').execute(),
    nps_answers: await db.selectFrom('nps_answers').selectAll().where('customer_id', '=', c.id).orderBy('answered_at').orderBy('id').execute(),
    audit: (await db.selectFrom('audit').selectAll().where('customer_id', '=', c.id).orderBy('at').orderBy('id').execute()).map((a) => ({
      ...a,
      details: a.details ? (JSON.parse(a.details) as unknown) : null,
    })),
  }
}
