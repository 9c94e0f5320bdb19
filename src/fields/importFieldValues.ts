import type BetterSqlite3 from 'better-sqlite3'
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { UsageError } from '../errors.js'
import type { DateOrder } from '../import/parse/dates.js'
import { ParseError } from '../import/parse/dates.js'
import { fold } from '../text/fold.js'
import { findField } from './fieldDefinitions.js'
import { parseFieldValue, type FieldDefinition, type StoredValue } from './fieldValue.js'

/** A file column that feeds a custom field. */
export interface FieldColumn {
  header: string
  field: FieldDefinition
}

const key = (header: string) => fold(header).replace(/[^a-z0-9]/g, '')

/**
 * The columns of a customers file that feed custom fields: `--map "Header=field:NAME"`,
 * else a header equal to a field's name or label (compared like every header: folded,
 * letters and digits only). Such columns reach the import as unknown ("extra") columns.
 */
export function fieldColumns(headers: readonly string[], fields: readonly FieldDefinition[], maps: ReadonlyMap<string, string>): FieldColumn[] {
  const out: FieldColumn[] = []
  const mapped = new Map<string, FieldDefinition>()
  for (const [headerKey, target] of maps) {
    if (!target.startsWith('field:')) continue
    const name = target.slice('field:'.length).trim()
    const field = findField(fields, name)
    if (!field) throw new UsageError(`--map: no custom field named "${name}" (crm field list shows them; crm field add makes one)`)
    mapped.set(headerKey, field)
  }
  const byName = new Map<string, FieldDefinition>()
  for (const f of fields) {
    byName.set(key(f.name), f)
    if (f.label) byName.set(key(f.label), f)
  }
  const taken = new Set<number>()
  for (const header of headers) {
    const k = key(header.trim())
    const explicit = mapped.get(k)
    const field = explicit ?? (maps.has(k) ? undefined : byName.get(k))
    if (!field || taken.has(field.id)) continue
    taken.add(field.id)
    out.push({ header: header.trim(), field })
  }
  return out
}

/** One row's custom values, checked: the values to write, or the errors (`NAME: reason`). */
export function rowFieldValues(
  columns: readonly FieldColumn[],
  extra: Record<string, string>,
  o: { currency: string; dateOrder: DateOrder },
): { values: Array<{ field: FieldDefinition; value: StoredValue }>; errors: Array<{ field: string; reason: string }> } {
  const values: Array<{ field: FieldDefinition; value: StoredValue }> = []
  const errors: Array<{ field: string; reason: string }> = []
  for (const c of columns) {
    const raw = extra[c.header]
    if (raw === undefined) continue
    // The value lives in the field now, not among the extra columns.
    delete extra[c.header]
    const v = parseFieldValue(c.field, raw, o)
    if (v instanceof ParseError) errors.push({ field: c.field.name, reason: v.reason })
    // An empty cell never erases a stored value (as with every other column).
    else if (v !== null) values.push({ field: c.field, value: v })
  }
  return { values, errors }
}

/** Writes imported values inside the import's transaction; `flush` sends PostgreSQL's pending rows. */
export interface FieldValueSink {
  write(customerId: number, fieldId: number, v: StoredValue): void
  /** `realIds`: PostgreSQL's new customers have temporary ids until their batch is written. */
  flush(realIds?: ReadonlyMap<number, number>): Promise<void>
}

/** SQLite: one prepared upsert on the import's connection. */
export function sqliteFieldValueSink(sqlite: BetterSqlite3.Database, now: string): FieldValueSink {
  const upsert = sqlite.prepare(`insert into customer_field_values (customer_id, field_id, value_text, value_key, value_num, created_at, updated_at)
    values (?, ?, ?, ?, ?, ?, ?) on conflict (customer_id, field_id) do update set value_text = excluded.value_text,
    value_key = excluded.value_key, value_num = excluded.value_num, updated_at = excluded.updated_at
    where value_text is not excluded.value_text or value_num is not excluded.value_num`)
  return {
    write: (c, f, v) => void upsert.run(c, f, v.value_text, v.value_key, v.value_num, now, now),
    flush: async () => {},
  }
}

/** PostgreSQL: rows gathered per batch and sent as multi-row upserts after the batch's customers. */
export function pgFieldValueSink(trx: () => Kysely<Database>, now: string): FieldValueSink {
  let pending = new Map<string, [number, number, StoredValue]>()
  return {
    write: (c, f, v) => void pending.set(`${c}:${f}`, [c, f, v]),
    async flush(realIds) {
      const rows = [...pending.values()].map(([c, f, v]): [number, number, StoredValue] => [realIds?.get(c) ?? c, f, v])
      pending = new Map()
      for (let i = 0; i < rows.length; i += 1000) {
        const chunk = rows.slice(i, i + 1000)
        const values = sql.join(chunk.map(([c, f, v]) => sql`(${c}, ${f}, ${v.value_text}, ${v.value_key}, ${v.value_num}::double precision, ${now}, ${now})`))
        await sql`insert into customer_field_values (customer_id, field_id, value_text, value_key, value_num, created_at, updated_at)
          values ${values} on conflict (customer_id, field_id) do update set value_text = excluded.value_text,
          value_key = excluded.value_key, value_num = excluded.value_num, updated_at = excluded.updated_at`.execute(trx())
      }
    },
  }
}
