import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely'
import { z } from 'zod'
import type { CustomFieldType, Database } from '../db/schema.js'
import { CrmError, UsageError } from '../errors.js'
import { ParseError } from '../import/parse/dates.js'
import { fold } from '../text/fold.js'
import { listFields, requireField } from './fieldDefinitions.js'
import { parseFieldValue } from './fieldValue.js'
import { WHERE_OPERATORS, whereText, type WhereClause, type WhereOperator } from './whereGrammar.js'

/**
 * A `--where` clause checked against its field: the field's id, the column its values
 * live in, and the operand already in that column's form (a number, cents, 0/1, a folded
 * text, a date). Made by resolveWhere() for one run; never saved.
 */
export const ResolvedWhere = z
  .object({
    fieldId: z.number().int(),
    column: z.enum(['num', 'key']),
    op: z.enum(WHERE_OPERATORS),
    operand: z.union([z.number(), z.string()]).optional(),
  })
  .strict()
export type ResolvedWhere = z.infer<typeof ResolvedWhere>

/** Which operators fit which type: order only where values have one, contains only for text. */
const OPERATORS: Record<CustomFieldType, readonly WhereOperator[]> = {
  text: ['=', '!=', '~', 'is empty', 'is not empty'],
  choice: ['=', '!=', 'is empty', 'is not empty'],
  bool: ['=', '!=', 'is empty', 'is not empty'],
  number: ['=', '!=', '<', '<=', '>', '>=', 'is empty', 'is not empty'],
  money: ['=', '!=', '<', '<=', '>', '>=', 'is empty', 'is not empty'],
  date: ['=', '!=', '<', '<=', '>', '>=', 'is empty', 'is not empty'],
}

/**
 * Checks each clause against the defined fields: the field exists, the operator fits its
 * type, the value parses as that type (a choice must be one of the list). A failure is a
 * usage error naming the clause.
 */
export async function resolveWhere(db: Kysely<Database>, clauses: readonly WhereClause[], currency: () => string): Promise<ResolvedWhere[]> {
  const fields = await listFields(db)
  return clauses.map((c) => {
    const text = whereText(c)
    const field = requireField(fields, c.field, `--where "${text}"`)
    if (!OPERATORS[field.type].includes(c.op)) {
      throw new UsageError(`--where "${text}": ${field.name} is a ${field.type} field; use ${OPERATORS[field.type].join(' ')}`)
    }
    const column = field.type === 'number' || field.type === 'money' || field.type === 'bool' ? 'num' : 'key'
    if (c.op === 'is empty' || c.op === 'is not empty') return { fieldId: field.id, column, op: c.op }
    if (c.op === '~') return { fieldId: field.id, column, op: c.op, operand: fold(c.value ?? '') }
    const v = parseFieldValue(field, c.value ?? '', { currency: field.type === 'money' ? currency() : 'USD' })
    if (v instanceof ParseError) throw new UsageError(`--where "${text}": ${field.name}: ${v.reason}`)
    if (v === null) throw new UsageError(`--where "${text}": no value (use "${field.name} is empty")`)
    return { fieldId: field.id, column, op: c.op, operand: column === 'num' ? v.value_num! : v.value_key! }
  })
}

const COMPARISONS: Record<string, RawBuilder<unknown>> = {
  '=': sql.raw('='), '!=': sql.raw('='), '<': sql.raw('<'), '<=': sql.raw('<='), '>': sql.raw('>'), '>=': sql.raw('>='),
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => '\\' + c)

/**
 * The SQL of resolved clauses, each `customers.id [not] in (…)` over one field's values:
 * a range scan of the (field_id, value, customer_id) index that yields customer ids.
 * `!=` and `is empty` include customers without a value. Operators come from a fixed
 * table; the field id and operand are bound parameters.
 */
export function whereConditions(resolved: readonly ResolvedWhere[]): RawBuilder<SqlBool>[] {
  return resolved.map((r) => {
    const values = (cond: RawBuilder<unknown>) =>
      sql`select customer_field_values.customer_id from customer_field_values where customer_field_values.field_id = ${r.fieldId}${cond}`
    const col = sql.ref(r.column === 'num' ? 'customer_field_values.value_num' : 'customer_field_values.value_key')
    switch (r.op) {
      case 'is empty':
        return sql<SqlBool>`customers.id not in (${values(sql``)})`
      case 'is not empty':
        return sql<SqlBool>`customers.id in (${values(sql``)})`
      case '~':
        return sql<SqlBool>`customers.id in (${values(sql` and ${col} like ${'%' + escapeLike(String(r.operand)) + '%'} escape '\\'`)})`
      case '!=':
        return sql<SqlBool>`customers.id not in (${values(sql` and ${col} = ${r.operand}`)})`
      default:
        return sql<SqlBool>`customers.id in (${values(sql` and ${col} ${COMPARISONS[r.op]!} ${r.operand}`)})`
    }
  })
}

/** The where conditions of a spec; the spec must have been resolved (resolveSegment does it). */
export function specWhereConditions(spec: { where?: WhereClause[]; fieldFilters?: ResolvedWhere[] }): RawBuilder<SqlBool>[] {
  if (!spec.where?.length) return []
  if (!spec.fieldFilters || spec.fieldFilters.length !== spec.where.length) {
    throw new CrmError('--where was not resolved: call resolveSegment() before building the filter')
  }
  return whereConditions(spec.fieldFilters)
}
