import { writeTransaction } from '../db/dialect.js'
import type { Kysely } from 'kysely'
import type { Customer, Database } from '../db/schema.js'
import { CrmError } from '../errors.js'
import { writeAudit } from './audit.js'
import { setFieldValues, type FieldAssignment } from '../fields/fieldValues.js'
import { currentCustomer } from './currentCustomer.js'
import { derivedColumns, EDITABLE_FIELDS, type EditableField, type FieldValues } from './customerFields.js'

export interface FieldChange {
  /** A built-in field, or a custom field's name. */
  field: EditableField | string
  from: string | null
  to: string | null
}

/**
 * Changes the given fields of one customer, recomputes the derived keys, stamps
 * updated_at and leaves an audit row with each change. Values equal to the stored
 * ones are no change; with no change nothing is written. Returns the changes.
 *
 * `customer` names who to edit; the row is read again inside the write transaction, so an
 * edit, merge or erasure that committed since it was looked up is not overwritten with
 * stale values (the derived keys are computed from the whole row).
 */
export async function editCustomer(
  db: Kysely<Database>,
  customer: Pick<Customer, 'id'>,
  values: FieldValues,
  o: { at: string; defaultCountry: string; allowDuplicate?: boolean; fieldValues?: readonly FieldAssignment[]; currency?: string },
): Promise<FieldChange[]> {
  const { at, defaultCountry } = o
  return writeTransaction(db, async (trx) => {
    const current = await currentCustomer(trx, customer.id, 'edit')
    const changes: Array<{ field: EditableField; from: string | null; to: string | null }> = []
    for (const f of EDITABLE_FIELDS) {
      const to = values[f]
      if (to === undefined || to === current[f]) continue
      changes.push({ field: f, from: current[f], to })
    }
    const custom = await setFieldValues(trx, customer.id, o.fieldValues ?? [], at, o.currency ?? 'USD')
    if (changes.length === 0 && custom.length === 0) return []
    const next = { ...current } as Record<EditableField, string | null>
    for (const c of changes) next[c.field] = c.to
    const d = derivedColumns(next, defaultCountry)
    if (d.email_norm && d.email_norm !== current.email_norm && !o.allowDuplicate) {
      const other = await trx
        .selectFrom('customers')
        .select('id')
        .where('email_norm', '=', d.email_norm)
        .where('id', '<>', customer.id)
        .where('forgotten_at', 'is', null)
        .executeTakeFirst()
      if (other) throw new CrmError(`customer ${other.id} already has the email ${values.email} (--allow-duplicate sets it anyway)`)
    }
    if (values.external_id) {
      const other = await trx.selectFrom('customers').select('id').where('external_id', '=', values.external_id).where('id', '<>', customer.id).executeTakeFirst()
      if (other) throw new CrmError(`customer ${other.id} already has the external id ${values.external_id}`)
    }
    const set: Record<string, string | null> = { ...d, updated_at: at }
    for (const c of changes) set[c.field] = c.to
    await trx.updateTable('customers').set(set).where('id', '=', customer.id).execute()
    const all: FieldChange[] = [...changes, ...custom]
    await writeAudit(trx, { at, action: 'edit', customerId: customer.id, details: { changes: Object.fromEntries(all.map((c) => [c.field, { from: c.from, to: c.to }])) } })
    return all
  })
}
