import type { Kysely } from 'kysely'
import type { ConsentChannel, ConsentStatus, Database } from '../db/schema.js'
import { CrmError } from '../errors.js'
import { isSuppressed } from '../privacy/suppressionHash.js'
import { writeTransaction } from '../db/dialect.js'
import { writeAudit } from './audit.js'
import { derivedColumns, EDITABLE_FIELDS, type FieldValues } from './customerFields.js'
import { normaliseEmail } from './customerKeys.js'
import { addTags } from './tagCustomer.js'
import { setFieldValues, type FieldAssignment } from '../fields/fieldValues.js'

export interface AddOptions {
  values: FieldValues
  tags?: string[]
  consent?: Partial<Record<ConsentChannel, ConsentStatus>>
  /** Add even when another customer has this email. */
  allowDuplicate?: boolean
  /** Re-create a person who was erased (they came back and asked to be a customer again). */
  allowForgotten?: boolean
  at: string
  defaultCountry: string
  /** Custom field values (`--set NAME=VALUE`), already checked. */
  fieldValues?: readonly FieldAssignment[]
  /** The base currency money field values are in. */
  currency?: string
}

/** Adds one customer in one transaction; returns the new id. */
export async function addCustomer(db: Kysely<Database>, o: AddOptions): Promise<number> {
  const v = o.values
  if (!v.first_name && !v.last_name && !v.company && !v.email) {
    throw new CrmError('a customer needs a name, a company or an email (--first-name, --last-name, --company, --email)')
  }
  const derived = derivedColumns(v, o.defaultCountry)
  return writeTransaction(db, async (trx) => {
    if (derived.email_norm && !o.allowDuplicate) {
      const same = await trx.selectFrom('customers').select('id').where('email_norm', '=', derived.email_norm).where('forgotten_at', 'is', null).execute()
      if (same.length) {
        throw new CrmError(`customer ${same.map((s) => s.id).join(', ')} already has the email ${v.email} (crm edit ${same[0]!.id} changes it; --allow-duplicate adds anyway)`)
      }
    }
    if (v.external_id) {
      const same = await trx.selectFrom('customers').select('id').where('external_id', '=', v.external_id).executeTakeFirst()
      if (same) throw new CrmError(`customer ${same.id} already has the external id ${v.external_id}`)
    }
    if (!o.allowForgotten && (await isSuppressed(trx, normaliseEmail(v.email), derived.phone_e164))) {
      throw new CrmError('this email or phone belongs to a person erased with crm forget; add them again only at their request: --allow-forgotten')
    }
    const consent: Record<string, string | null> = {}
    for (const [ch, status] of Object.entries(o.consent ?? {})) {
      consent[`consent_${ch}`] = status
      consent[`consent_${ch}_at`] = status === 'unknown' ? null : o.at
      consent[`consent_${ch}_source`] = status === 'unknown' ? null : 'crm add'
    }
    const columns = Object.fromEntries(EDITABLE_FIELDS.map((f) => [f, v[f] ?? null]))
    const row = await trx
      .insertInto('customers')
      .values({ ...columns, ...derived, ...consent, created_at: o.at, updated_at: o.at })
      .returning('id')
      .executeTakeFirstOrThrow()
    if (o.tags?.length) await addTags(trx, row.id, o.tags, o.at)
    const custom = await setFieldValues(trx, row.id, o.fieldValues ?? [], o.at, o.currency ?? 'USD')
    const fields = [...Object.keys(v).filter((k) => v[k as keyof FieldValues] != null), ...custom.map((c) => c.field)]
    await writeAudit(trx, { at: o.at, action: 'add', customerId: row.id, details: { fields } })
    return row.id
  })
}
