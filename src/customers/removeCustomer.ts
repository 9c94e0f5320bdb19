import { writeTransaction } from '../db/dialect.js'
import type { Kysely } from 'kysely'
import type { Customer, Database } from '../db/schema.js'
import { writeAudit } from './audit.js'

export interface RemovalSummary {
  purchases: number
  interactions: number
  npsAnswers: number
}

/** What `rm` would take with it: the question a person is asked before confirming. */
export async function removalSummary(db: Kysely<Database>, customerId: number): Promise<RemovalSummary> {
  const count = async (table: 'purchases' | 'interactions' | 'nps_answers') =>
    Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('customer_id', '=', customerId).executeTakeFirstOrThrow()).n)
  return { purchases: await count('purchases'), interactions: await count('interactions'), npsAnswers: await count('nps_answers') }
}

/**
 * Deletes a customer with their purchases, contacts and tags (NPS answers stay, anonymous).
 * Unlike `forget`, reports change: this is for records entered by mistake.
 */
export async function removeCustomer(db: Kysely<Database>, customer: Customer, at: string): Promise<RemovalSummary> {
  return writeTransaction(db, async (trx) => {
    const summary = await removalSummary(trx, customer.id)
    await trx.deleteFrom('customers').where('id', '=', customer.id).execute()
    // Only counts: the audit row must not keep what was just deleted.
    await writeAudit(trx, { at, action: 'rm', customerId: customer.id, details: summary })
    return summary
  })
}
