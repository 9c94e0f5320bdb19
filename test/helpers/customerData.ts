import type { Kysely } from 'kysely'
import type { Database, NewCustomer, NewPurchase } from '../../src/db/schema.js'
import { customerKeys } from '../../src/customers/customerKeys.js'

/** A customer row with the derived columns (*_key, search_key, email_norm) filled as every write fills them. */
export function withKeys(c: NewCustomer): NewCustomer {
  return { ...c, ...customerKeys(c) }
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
