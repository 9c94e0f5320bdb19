import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

export interface AuditEntry {
  at: string
  action: string
  customerId: number | null
  details: unknown
}

/** One audit row: what happened to whom, when, with the details as JSON. */
export async function writeAudit(db: Kysely<Database>, e: AuditEntry): Promise<void> {
  await db
    .insertInto('audit')
    .values({ at: e.at, action: e.action, customer_id: e.customerId, details: JSON.stringify(e.details), created_at: e.at, updated_at: e.at })
    .execute()
}
