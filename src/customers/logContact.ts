import { writeTransaction } from '../db/dialect.js'
import type { Kysely } from 'kysely'
import type { Database, Interaction, InteractionTable } from '../db/schema.js'

export interface ContactInput {
  customerId: number
  channel: InteractionTable['channel']
  kind: InteractionTable['kind']
  note: string | null
  occurredAt: string
}

/**
 * The latest contact through `channel` at or after `since`, if any: the reason `crm log`
 * stops, so nobody is called twice in a week.
 */
export async function recentContact(db: Kysely<Database>, customerId: number, channel: string, since: string, until: string): Promise<Interaction | undefined> {
  return db
    .selectFrom('interactions')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where('channel', '=', channel as InteractionTable['channel'])
    .where('occurred_at', '>=', since)
    .where('occurred_at', '<=', until)
    .orderBy('occurred_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** Records one contact and stamps the customer's updated_at; returns the new id. */
export async function logContact(db: Kysely<Database>, c: ContactInput, at: string): Promise<number> {
  return writeTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('interactions')
      .values({ customer_id: c.customerId, occurred_at: c.occurredAt, channel: c.channel, kind: c.kind, note: c.note, created_at: at, updated_at: at })
      .returning('id')
      .executeTakeFirstOrThrow()
    await trx.updateTable('customers').set({ updated_at: at }).where('id', '=', c.customerId).execute()
    return row.id
  })
}
