import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { UsageError } from '../errors.js'
import { ParseError } from '../import/parse/dates.js'
import { listFields, requireField } from './fieldDefinitions.js'
import { parseFieldValue, shownValue, valueText, type FieldDefinition, type ShownValue, type StoredValue } from './fieldValue.js'

type Db = Kysely<Database>

/** One field set to a value (null clears it). */
export interface FieldAssignment {
  field: FieldDefinition
  value: StoredValue | null
}

/**
 * `--set children=2 --set income_band=high` checked against the definitions: an unknown
 * field or a value of the wrong type is a usage error naming it, before anything is written.
 */
export async function parseAssignments(db: Db, texts: readonly string[], currency: string): Promise<FieldAssignment[]> {
  if (texts.length === 0) return []
  const fields = await listFields(db)
  const out = new Map<number, FieldAssignment>()
  for (const t of texts) {
    const at = t.indexOf('=')
    if (at <= 0) throw new UsageError(`--set "${t}": write NAME=VALUE (an empty VALUE clears the field)`)
    const field = requireField(fields, t.slice(0, at).trim(), '--set')
    const value = parseFieldValue(field, t.slice(at + 1), { currency })
    if (value instanceof ParseError) throw new UsageError(`--set ${field.name}: ${value.reason}`)
    out.set(field.id, { field, value })
  }
  // In field order, so messages and audit rows list them as `crm field list` does.
  return [...out.values()].sort((a, b) => a.field.position - b.field.position || a.field.id - b.field.id)
}

/** A changed value as the audit row keeps it: as text, so `crm forget` scrubs it like any other. */
export interface FieldValueChange {
  field: string
  from: string | null
  to: string | null
}

/**
 * Writes assignments for one customer inside the caller's transaction; values equal to the
 * stored ones are no change. Returns the changes (for the audit row).
 */
export async function setFieldValues(trx: Db, customerId: number, assignments: readonly FieldAssignment[], at: string, currency: string): Promise<FieldValueChange[]> {
  if (assignments.length === 0) return []
  const current = await storedValues(trx, customerId)
  const changes: FieldValueChange[] = []
  for (const { field, value } of assignments) {
    const before = current.get(field.id)
    const same = before === undefined ? value === null : value !== null && before.value_text === value.value_text && before.value_num === value.value_num
    if (same) continue
    const asText = (v: StoredValue | undefined) => (v === undefined ? null : valueText(shownValue(field, v, currency)))
    changes.push({ field: field.name, from: asText(before), to: asText(value ?? undefined) })
    if (value === null) {
      await trx.deleteFrom('customer_field_values').where('customer_id', '=', customerId).where('field_id', '=', field.id).execute()
    } else {
      await trx
        .insertInto('customer_field_values')
        .values({ customer_id: customerId, field_id: field.id, ...value, created_at: at, updated_at: at })
        .onConflict((oc) => oc.columns(['customer_id', 'field_id']).doUpdateSet({ ...value, updated_at: at }))
        .execute()
    }
  }
  return changes
}

/** One customer's stored values by field id. */
export async function storedValues(db: Db, customerId: number): Promise<Map<number, StoredValue>> {
  const rows = await db.selectFrom('customer_field_values').select(['field_id', 'value_text', 'value_key', 'value_num']).where('customer_id', '=', customerId).execute()
  return new Map(rows.map((r) => [Number(r.field_id), { value_text: r.value_text, value_key: r.value_key, value_num: r.value_num === null ? null : Number(r.value_num) }]))
}

/** One customer's custom field values as shown, in field order; fields without a value are left out. */
export async function customFieldValues(db: Db, customerId: number, currency: string): Promise<Array<{ name: string; label: string | null; type: string; value: ShownValue }>> {
  const fields = await listFields(db)
  if (fields.length === 0) return []
  const stored = await storedValues(db, customerId)
  return fields
    .filter((f) => stored.has(f.id))
    .map((f) => ({ name: f.name, label: f.label, type: f.type, value: shownValue(f, stored.get(f.id), currency) }))
}
