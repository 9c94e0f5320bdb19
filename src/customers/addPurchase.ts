import { writeTransaction } from '../db/dialect.js'
import type { Kysely } from 'kysely'
import type { Database, NewPurchase } from '../db/schema.js'

/** Records one purchase (a negative amount is a refund) and stamps the customer's updated_at. */
export async function addPurchase(db: Kysely<Database>, p: Omit<NewPurchase, 'created_at' | 'updated_at'>, at: string): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const row = await trx.insertInto('purchases').values({ ...p, created_at: at, updated_at: at }).returning('id').executeTakeFirstOrThrow()
    await trx.updateTable('customers').set({ updated_at: at }).where('id', '=', p.customer_id).execute()
    return row.id
  })
}
