import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { customerIdsMatching, type FilterContext } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { resolveSegment } from '../query/segments.js'
import { groupConcat, streamRows } from '../db/dialect.js'

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
}

export type ExportRow = { tags: string[]; [field: string]: string | number | null | string[] }

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
  if (o.excludeRefused) q = q.where(sql<boolean>`not ${anyRefusal}`)
  const stream = streamRows(db, q.orderBy('customers.id'), 500)
  async function* rows(): AsyncGenerator<ExportRow> {
    for await (const r of stream) {
      const { tag_list, ...rest } = r
      yield { ...rest, tags: tag_list ? tag_list.split('\x1f') : [] }
    }
  }
  return { rows: rows(), leftOut }
}
