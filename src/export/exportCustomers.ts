import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { customerIdsMatching, type FilterContext } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { resolveSegment } from '../query/segments.js'
import { groupConcat, streamRows } from '../db/dialect.js'
import { columnAlias, fieldValueExpression } from '../fields/fieldColumns.js'
import { shownValue, type FieldDefinition, type ShownValue } from '../fields/fieldValue.js'

/** Columns an export writes by default: exactly the names `crm import` reads, so it re-imports. */
export const EXPORT_FIELDS = [
  'external_id', 'first_name', 'last_name', 'email', 'phone', 'gender', 'birth_date', 'street', 'city', 'region',
  'postal_code', 'country', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'consent_email', 'consent_mail',
  'consent_sms', 'consent_phone', 'notes', 'tags',
] as const

/** Further columns `--fields` may ask for. */
export const EXTRA_EXPORT_FIELDS = [
  'id', 'phone_e164', 'consent_email_at', 'consent_email_source', 'consent_mail_at', 'consent_mail_source', 'consent_sms_at',
  'consent_sms_source', 'consent_phone_at', 'consent_phone_source', 'created_at', 'updated_at',
] as const

export const KNOWN_EXPORT_FIELDS: readonly string[] = [...EXPORT_FIELDS, ...EXTRA_EXPORT_FIELDS]

export interface ExportOptions {
  spec: FilterSpec
  ctx: FilterContext
  /**
   * Leave out everyone who refused contact on any channel (the default for a list
   * leaving the program without `--consent`); false is `--include-opted-out`.
   */
  excludeRefused: boolean
  /** Custom fields to write, each as a column named after the field (import reads it back). */
  customFields?: readonly FieldDefinition[]
  /** The base currency money fields are shown in. */
  currency?: string
}

export type ExportRow = {
  tags: string[]
  /** The custom fields' values by name (also spread as columns for CSV and JSON). */
  custom: Array<{ name: string; value: ShownValue }>
  [field: string]: ShownValue | string[] | Array<{ name: string; value: ShownValue }>
}

const anyRefusal = sql<boolean>`(customers.consent_email = 'refused' or customers.consent_mail = 'refused'
  or customers.consent_sms = 'refused' or customers.consent_phone = 'refused')`

/**
 * The customers a filter selects, in id order, streamed; and how many were left out
 * because they refused contact. Erased customers are never exported.
 */
export async function exportCustomers(db: Kysely<Database>, o: ExportOptions): Promise<{ rows: AsyncIterable<ExportRow>; leftOut: number }> {
  const spec = await resolveSegment(db, o.spec)
  const ids = customerIdsMatching(db, spec, o.ctx)
  let leftOut = 0
  if (o.excludeRefused) {
    const r = await db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('customers.id', 'in', ids)
      .where(anyRefusal)
      .executeTakeFirstOrThrow()
    leftOut = Number(r.n)
  }
  let q = db
    .selectFrom('customers')
    .select([...EXPORT_FIELDS.filter((f) => f !== 'tags'), ...EXTRA_EXPORT_FIELDS].map((f) => `customers.${f}` as const))
    .select(
      sql<string | null>`(select ${groupConcat(db, sql`tags.name`, '\x1f', sql`tags.name`)} from customer_tags
        join tags on tags.id = customer_tags.tag_id where customer_tags.customer_id = customers.id)`.as('tag_list'),
    )
    .where('customers.id', 'in', ids)
  const custom = o.customFields ?? []
  for (const f of custom) q = q.select(fieldValueExpression(f).as(columnAlias(f)))
  if (o.excludeRefused) q = q.where(sql<boolean>`not ${anyRefusal}`)
  const stream = streamRows(db, q.orderBy('customers.id'), 500)
  async function* rows(): AsyncGenerator<ExportRow> {
    for await (const r of stream) {
      const { tag_list, ...rest } = r as typeof r & Record<string, string | number | null>
      const values = custom.map((f) => {
        const v = rest[columnAlias(f)]
        delete rest[columnAlias(f)]
        const stored = v === null || v === undefined ? undefined : { value_text: typeof v === 'string' ? v : null, value_num: typeof v === 'string' ? null : Number(v) }
        return { name: f.name, value: shownValue(f, stored, o.currency ?? 'USD') }
      })
      yield { ...rest, ...Object.fromEntries(values.map((v) => [v.name, v.value])), tags: tag_list ? tag_list.split('\x1f') : [], custom: values }
    }
  }
  return { rows: rows(), leftOut }
}
