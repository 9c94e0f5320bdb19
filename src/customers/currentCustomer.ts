import type { Kysely } from 'kysely'
import type { Customer, Database } from '../db/schema.js'
import { CrmError } from '../errors.js'

/**
 * A customer's row as it is now, read inside a write transaction. A command looks its
 * customer up before it takes the write lock; a merge or erasure may commit in between,
 * and writing then would touch a row that is gone or overwrite newer values.
 */
export async function currentCustomer(trx: Kysely<Database>, id: number, doing: string): Promise<Customer> {
  const row = await trx.selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst()
  if (!row || row.forgotten_at !== null) {
    throw new CrmError(`customer ${id} was merged or erased while this ${doing} waited; nothing changed`)
  }
  return row
}
