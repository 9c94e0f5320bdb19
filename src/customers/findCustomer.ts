import type { Kysely } from 'kysely'
import { normaliseEmail } from './customerKeys.js'
import type { Customer, Database } from '../db/schema.js'
import { CrmError } from '../errors.js'

export interface ResolveOptions {
  /** Return an erased customer too (subject access, `show`); otherwise erasure is an error. */
  allowForgotten?: boolean
}

/**
 * The customer a person named on the command line: `12` (id), `ana@example.com` (email),
 * `K-1001` (external id), or explicitly `id:12`, `email:…`, `ext:…`. Digits are an id
 * first; when they are also another customer's external id, the ref is ambiguous and
 * the error says how to choose. An email two customers share is an error listing both.
 */
export async function resolveCustomer(db: Kysely<Database>, ref: string, options: ResolveOptions = {}): Promise<Customer> {
  const text = ref.trim()
  if (text === '') throw new CrmError('no customer given (an id, email or external id)')
  const prefixed = /^(id|email|ext):(.*)$/i.exec(text)
  const kind = prefixed ? prefixed[1]!.toLowerCase() : null
  const value = prefixed ? prefixed[2]!.trim() : text
  const base = () => db.selectFrom('customers').selectAll()

  let found: Customer | undefined
  if (kind === 'id' || (kind === null && /^\d+$/.test(value))) {
    if (!/^\d+$/.test(value)) throw new CrmError(`"${text}": an id is a whole number`)
    const byId = await base().where('id', '=', Number(value)).executeTakeFirst()
    if (kind === null) {
      const byExt = await base().where('external_id', '=', value).executeTakeFirst()
      if (byId && byExt && byExt.id !== byId.id) {
        throw new CrmError(`"${text}" is customer ${byId.id}'s id and customer ${byExt.id}'s external id: say id:${value} or ext:${value}`)
      }
      found = byId ?? byExt
    } else found = byId
  } else if (kind === 'email' || (kind === null && value.includes('@'))) {
    const matches = await base().where('email_norm', '=', normaliseEmail(value)).orderBy('id').execute()
    const live = options.allowForgotten ? matches : matches.filter((c) => c.forgotten_at === null)
    if (live.length > 1) {
      throw new CrmError(`${value} is the email of customers ${live.map((c) => c.id).join(' and ')}: give the id instead`)
    }
    found = live[0]
  } else {
    found = await base().where('external_id', '=', value).executeTakeFirst()
  }
  if (!found) throw new CrmError(`no customer "${text}" (give an id, an email or an external id)`)
  if (found.forgotten_at !== null && !options.allowForgotten) {
    throw new CrmError(`customer ${found.id} was erased with crm forget on ${found.forgotten_at.slice(0, 10)}`)
  }
  return found
}

/** "Ana Silva", else the company or email, else "customer 12": how messages name a customer. */
export function displayName(c: Pick<Customer, 'id' | 'first_name' | 'last_name' | 'company' | 'email'>): string {
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ')
  return name || c.company || c.email || `customer ${c.id}`
}
