import type { Kysely } from 'kysely'
import type { Database, NewCustomer, NewPurchase } from '../../src/db/schema.js'
import { digitsOf, fold, foldOrNull } from '../../src/text/fold.js'

/**
 * A customer row with the derived columns filled the way the importer fills them:
 * *_key = fold(raw), search_key = fold(first last email company) + phone digits.
 */
export function withKeys(c: NewCustomer): NewCustomer {
  const words = [c.first_name, c.last_name, c.email, c.company].filter((v): v is string => !!v).map(fold)
  const digits = [c.phone, c.phone_e164].filter((v): v is string => !!v).map(digitsOf).filter(Boolean)
  const search = [...words, ...digits].join(' ')
  return {
    ...c,
    email_norm: c.email ? c.email.normalize('NFKC').trim().toLowerCase() : null,
    city_key: foldOrNull(c.city),
    region_key: foldOrNull(c.region),
    territory_key: foldOrNull(c.territory),
    sales_rep_key: foldOrNull(c.sales_rep),
    source_key: foldOrNull(c.source),
    search_key: search === '' ? null : search,
  }
}

/** Inserts customers (keys filled) and returns their ids in order. */
export async function addCustomers(db: Kysely<Database>, customers: NewCustomer[]): Promise<number[]> {
  const ids: number[] = []
  for (const c of customers) {
    const r = await db.insertInto('customers').values(withKeys(c)).returning('id').executeTakeFirstOrThrow()
    ids.push(r.id)
  }
  return ids
}

export async function addPurchases(db: Kysely<Database>, purchases: Array<Omit<NewPurchase, 'currency'> & { currency?: string }>): Promise<void> {
  if (purchases.length === 0) return
  await db.insertInto('purchases').values(purchases.map((p) => ({ currency: 'USD', ...p }))).execute()
}

export async function tagCustomer(db: Kysely<Database>, customerId: number, ...names: string[]): Promise<void> {
  for (const name of names) {
    await db.insertInto('tags').values({ name }).onConflict((oc) => oc.column('name').doNothing()).execute()
    const tag = await db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirstOrThrow()
    await db.insertInto('customer_tags').values({ customer_id: customerId, tag_id: tag.id }).execute()
  }
}
