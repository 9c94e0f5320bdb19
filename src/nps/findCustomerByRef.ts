import type { Kysely } from 'kysely'
import { normaliseEmail } from '../customers/customerKeys.js'
import type { Customer, Database } from '../db/schema.js'
import { CrmError } from '../errors.js'

/**
 * The customer `crm nps add` names: digits are an id (else an external id), text with
 * an @ an email, anything else an external id.
 * A stand-in until the records work's `resolveCustomer` (src/customers/findCustomer.ts)
 * reaches main; it should then replace this file.
 */
export async function findCustomerByRef(db: Kysely<Database>, ref: string): Promise<Customer> {
  const text = ref.trim()
  if (text === '') throw new CrmError('no customer given (an id, email or external id)')
  const base = () => db.selectFrom('customers').selectAll()
  let found: Customer | undefined
  if (/^\d+$/.test(text)) {
    const byId = await base().where('id', '=', Number(text)).executeTakeFirst()
    const byExt = await base().where('external_id', '=', text).executeTakeFirst()
    if (byId && byExt && byId.id !== byExt.id) {
      throw new CrmError(`"${text}" is customer ${byId.id}'s id and customer ${byExt.id}'s external id`)
    }
    found = byId ?? byExt
  } else if (text.includes('@')) {
    const matches = await base().where('email_norm', '=', normaliseEmail(text)).where('forgotten_at', 'is', null).orderBy('id').execute()
    if (matches.length > 1) throw new CrmError(`${text} is the email of customers ${matches.map((c) => c.id).join(' and ')}: give the id instead`)
    found = matches[0]
  } else {
    found = await base().where('external_id', '=', text).executeTakeFirst()
  }
  if (!found) throw new CrmError(`no customer "${text}" (give an id, an email or an external id)`)
  if (found.forgotten_at !== null) throw new CrmError(`customer ${found.id} was erased on ${found.forgotten_at.slice(0, 10)}`)
  return found
}
