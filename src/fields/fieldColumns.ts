import { sql, type RawBuilder } from 'kysely'
import { shownValue, type FieldDefinition } from './fieldValue.js'

/** The alias a custom field's value travels under in SQL: from its id, never its name. */
export const columnAlias = (f: Pick<FieldDefinition, 'id'>): string => `cf_${f.id}`

const valueColumn = (f: FieldDefinition, forSorting: boolean) =>
  f.type === 'number' || f.type === 'money' || f.type === 'bool'
    ? sql.ref('customer_field_values.value_num')
    : sql.ref(forSorting ? 'customer_field_values.value_key' : 'customer_field_values.value_text')

/**
 * One customer's value of a field, as a correlated subquery on `customers`: one primary-key
 * probe per row shown. Text sorts by its folded key (case and accents do not split names).
 */
export function fieldValueExpression(f: FieldDefinition, forSorting = false): RawBuilder<unknown> {
  return sql`(select ${valueColumn(f, forSorting)} from customer_field_values
    where customer_field_values.customer_id = customers.id and customer_field_values.field_id = ${f.id})`
}

type Row = Record<string, unknown>

/** Turns the `cf_<id>` columns of query rows into the fields' names, with values as shown. */
export function withFieldNames<R extends Row>(rows: Iterable<R> | AsyncIterable<R>, fields: readonly FieldDefinition[], currency: string): Iterable<Row> | AsyncIterable<Row> {
  if (fields.length === 0) return rows
  const rename = (row: R): Row => {
    const out: Row = { ...row }
    for (const f of fields) {
      const alias = columnAlias(f)
      const v = row[alias]
      delete out[alias]
      out[f.name] = shownValue(f, v === null || v === undefined ? undefined : { value_text: typeof v === 'string' ? v : null, value_num: typeof v === 'string' ? null : Number(v) }, currency)
    }
    return out
  }
  if (Symbol.iterator in rows) {
    const sync = rows as Iterable<R>
    return (function* () {
      for (const r of sync) yield rename(r)
    })()
  }
  const source = rows as AsyncIterable<R>
  return (async function* () {
    for await (const r of source) yield rename(r)
  })()
}
