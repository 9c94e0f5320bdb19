import type { Kysely } from 'kysely'
import { writeTransaction } from '../db/dialect.js'
import type { CustomFieldType, Database } from '../db/schema.js'
import { CrmError, UsageError } from '../errors.js'
import { ParseError } from '../import/parse/dates.js'
import { fold } from '../text/fold.js'
import { checkFieldName } from './fieldName.js'
import { parseFieldValue, type FieldDefinition } from './fieldValue.js'

type Db = Kysely<Database>

interface FieldRow {
  id: number
  name: string
  label: string | null
  type: CustomFieldType
  choices: string | null
  position: number
}

const toDefinition = (r: FieldRow): FieldDefinition => ({
  id: Number(r.id),
  name: r.name,
  label: r.label,
  type: r.type,
  choices: r.choices === null ? null : (JSON.parse(r.choices) as string[]),
  position: Number(r.position),
})

/** Every custom field, in the order they were added. */
export async function listFields(db: Db): Promise<FieldDefinition[]> {
  const rows = await db.selectFrom('custom_fields').select(['id', 'name', 'label', 'type', 'choices', 'position']).orderBy('position').orderBy('id').execute()
  return rows.map(toDefinition)
}

/** The field of that name (any case), or undefined. */
export function findField(fields: readonly FieldDefinition[], name: string): FieldDefinition | undefined {
  const lower = name.toLowerCase()
  return fields.find((f) => f.name.toLowerCase() === lower)
}

/** The field of that name, or a usage error that says how to list them. */
export function requireField(fields: readonly FieldDefinition[], name: string, context: string): FieldDefinition {
  const f = findField(fields, name)
  if (!f) {
    const known = fields.length ? ` (fields: ${fields.map((x) => x.name).join(', ')})` : ' (none defined yet: crm field add)'
    throw new UsageError(`${context}: no custom field named "${name}"${known}`)
  }
  return f
}

/** The allowed values of a choice field from `--choices low,middle,high`: trimmed, distinct whatever the case. */
export function parseChoices(type: CustomFieldType, text: string | undefined): string[] | null {
  if (type !== 'choice') {
    if (text !== undefined) throw new UsageError(`--choices is only for --type choice`)
    return null
  }
  const choices = (text ?? '').split(',').map((c) => c.trim()).filter(Boolean)
  if (choices.length === 0) throw new UsageError('--type choice needs --choices, e.g. --choices low,middle,high')
  const seen = new Set<string>()
  for (const c of choices) {
    if (seen.has(fold(c))) throw new UsageError(`--choices: "${c}" is given twice`)
    if (c.length > 100) throw new UsageError(`--choices: "${c.slice(0, 20)}…" is longer than 100 characters`)
    seen.add(fold(c))
  }
  return choices
}

export interface NewField {
  name: string
  type: CustomFieldType
  choices: string[] | null
  label: string | null
  at: string
  /** Move the values kept under this key of the customers' `extra` JSON into the new field. */
  fromExtra?: string
  currency: string
}

/** A value under `extra` that does not fit the new field's type. */
export interface PromotionFailure {
  customerId: number
  reason: string
}

/** Raised by addField when --from-extra finds values that do not fit: nothing was written. */
export class PromotionError extends CrmError {
  constructor(
    readonly key: string,
    readonly failures: PromotionFailure[],
  ) {
    const shown = failures.slice(0, 20).map((f) => `\n  customer ${f.customerId}: ${key}: ${f.reason}`).join('')
    const more = failures.length > 20 ? `\n  … and ${failures.length - 20} more` : ''
    super(`--from-extra ${key}: ${failures.length} value${failures.length === 1 ? '' : 's'} do not fit the field (nothing changed; fix them with crm edit, or choose another --type):${shown}${more}`)
    this.name = 'PromotionError'
  }
}

export interface AddFieldResult {
  field: FieldDefinition
  /** Customers whose `extra` value moved into the field (--from-extra). */
  promoted: number
}

/**
 * Defines a field in one transaction. With `fromExtra`, every customer's value under that
 * key of `extra` is checked first; if any does not fit, nothing is written and every bad
 * one is reported; otherwise the values move (out of `extra`, into the field).
 */
export async function addField(db: Db, f: NewField): Promise<AddFieldResult> {
  checkFieldName(f.name)
  if (f.label !== null && f.label.trim() === '') throw new UsageError('--label is empty')
  return writeTransaction(db, async (trx) => {
    const existing = findField(await listFields(trx), f.name)
    if (existing) throw new CrmError(`a field named "${existing.name}" already exists (crm field rename changes a name)`)
    const pos = await trx.selectFrom('custom_fields').select((eb) => eb.fn.max('position').as('p')).executeTakeFirst()
    const row = await trx
      .insertInto('custom_fields')
      .values({ name: f.name, label: f.label?.trim() ?? null, type: f.type, choices: f.choices ? JSON.stringify(f.choices) : null, position: Number(pos?.p ?? 0) + 1, created_at: f.at, updated_at: f.at })
      .returning(['id', 'name', 'label', 'type', 'choices', 'position'])
      .executeTakeFirstOrThrow()
    const field = toDefinition(row)
    const promoted = f.fromExtra === undefined ? 0 : await promoteFromExtra(trx, field, f.fromExtra, f)
    await trx.insertInto('audit').values({ at: f.at, action: 'field add', customer_id: null, details: JSON.stringify({ field: field.name, type: field.type, promoted }) }).execute()
    return { field, promoted }
  })
}

/** The key in an `extra` object: exactly, else the one key that matches whatever the case. */
function extraKey(extra: Record<string, unknown>, key: string): string | undefined {
  if (key in extra) return key
  const lower = key.toLowerCase()
  return Object.keys(extra).find((k) => k.toLowerCase() === lower)
}

async function promoteFromExtra(trx: Db, field: FieldDefinition, key: string, o: { at: string; currency: string }): Promise<number> {
  const rows = await trx.selectFrom('customers').select(['id', 'extra']).where('extra', 'is not', null).where('forgotten_at', 'is', null).orderBy('id').execute()
  const failures: PromotionFailure[] = []
  const moves: Array<{ id: number; extra: string | null; value: ReturnType<typeof parseFieldValue> }> = []
  for (const r of rows) {
    let extra: Record<string, unknown>
    try {
      extra = JSON.parse(r.extra!) as Record<string, unknown>
    } catch {
      continue
    }
    if (typeof extra !== 'object' || extra === null || Array.isArray(extra)) continue
    const k = extraKey(extra, key)
    if (k === undefined) continue
    const raw = extra[k]
    const value = parseFieldValue(field, raw === null || raw === undefined ? '' : String(raw), { currency: o.currency })
    if (value instanceof ParseError) {
      failures.push({ customerId: Number(r.id), reason: value.reason })
      continue
    }
    delete extra[k]
    moves.push({ id: Number(r.id), extra: Object.keys(extra).length ? JSON.stringify(extra) : null, value })
  }
  if (failures.length) throw new PromotionError(key, failures)
  for (const m of moves) {
    if (m.value !== null && !(m.value instanceof ParseError)) {
      await trx.insertInto('customer_field_values').values({ customer_id: m.id, field_id: field.id, ...m.value, created_at: o.at, updated_at: o.at }).execute()
    }
    await trx.updateTable('customers').set({ extra: m.extra, updated_at: o.at }).where('id', '=', m.id).execute()
  }
  return moves.filter((m) => m.value !== null).length
}

/**
 * Renames a field (one row; values keep their field id). Saved segments that filter on
 * the old name are rewritten to the new one in the same transaction.
 */
export async function renameField(db: Db, from: string, to: string, at: string): Promise<{ field: FieldDefinition; segments: number }> {
  checkFieldName(to)
  return writeTransaction(db, async (trx) => {
    const fields = await listFields(trx)
    const field = requireField(fields, from, 'field rename')
    const clash = findField(fields, to)
    if (clash && clash.id !== field.id) throw new CrmError(`a field named "${clash.name}" already exists`)
    await trx.updateTable('custom_fields').set({ name: to, updated_at: at }).where('id', '=', field.id).execute()
    const segments = await renameInSegments(trx, field.name, to, at)
    await trx.insertInto('audit').values({ at, action: 'field rename', customer_id: null, details: JSON.stringify({ field: to, from: field.name }) }).execute()
    return { field: { ...field, name: to }, segments }
  })
}

async function renameInSegments(trx: Db, from: string, to: string, at: string): Promise<number> {
  const lower = from.toLowerCase()
  let n = 0
  for (const s of await trx.selectFrom('segments').select(['id', 'filter']).execute()) {
    const spec = JSON.parse(s.filter) as { where?: Array<{ field: string }>; sort?: unknown }
    if (!spec.where?.some((w) => w.field.toLowerCase() === lower)) continue
    for (const w of spec.where) if (w.field.toLowerCase() === lower) w.field = to
    await trx.updateTable('segments').set({ filter: JSON.stringify(spec), updated_at: at }).where('id', '=', s.id).execute()
    n++
  }
  return n
}

/** Removes a field and every value of it; returns how many customers had a value. */
export async function removeField(db: Db, name: string, at: string): Promise<{ field: FieldDefinition; values: number }> {
  return writeTransaction(db, async (trx) => {
    const field = requireField(await listFields(trx), name, 'field rm')
    const r = await trx.deleteFrom('customer_field_values').where('field_id', '=', field.id).executeTakeFirst()
    await trx.deleteFrom('custom_fields').where('id', '=', field.id).execute()
    const values = Number(r.numDeletedRows)
    await trx.insertInto('audit').values({ at, action: 'field rm', customer_id: null, details: JSON.stringify({ field: field.name, type: field.type, values }) }).execute()
    return { field, values }
  })
}

/** How many (not erased) customers have a value in each field, by field id. */
export async function valueCounts(db: Db): Promise<Map<number, number>> {
  const rows = await db.selectFrom('customer_field_values').select((eb) => ['field_id', eb.fn.countAll<number>().as('n')]).groupBy('field_id').execute()
  return new Map(rows.map((r) => [Number(r.field_id), Number(r.n)]))
}
