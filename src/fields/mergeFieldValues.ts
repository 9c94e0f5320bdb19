import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

/** A customer_field_values row exactly as stored (kept in a merge snapshot). */
export type FieldValueRow = Record<string, string | number | null>

export interface MergedFieldValues {
  /** The merged-away members' value rows as they were (deleted with their customers). */
  rows: FieldValueRow[]
  /** Field ids the survivor had no value for and took from another member. */
  added: number[]
}

/**
 * Custom field values in a merge: the survivor keeps every value it has; a field it has
 * no value for takes the value of the first other member (newest first) that has one.
 * Runs before the others are deleted; their rows go into the merge snapshot.
 */
export async function mergeFieldValues(trx: Kysely<Database>, survivorId: number, othersNewestFirst: readonly number[], now: string): Promise<MergedFieldValues> {
  if (othersNewestFirst.length === 0) return { rows: [], added: [] }
  const rows = (await trx
    .selectFrom('customer_field_values')
    .selectAll()
    .where('customer_id', 'in', [...othersNewestFirst])
    .orderBy('customer_id')
    .orderBy('field_id')
    .execute()) as unknown as FieldValueRow[]
  const had = new Set((await trx.selectFrom('customer_field_values').select('field_id').where('customer_id', '=', survivorId).execute()).map((r) => Number(r.field_id)))
  const added: number[] = []
  for (const id of othersNewestFirst) {
    for (const r of rows) {
      const fieldId = Number(r.field_id)
      if (Number(r.customer_id) !== id || had.has(fieldId)) continue
      had.add(fieldId)
      added.push(fieldId)
      await trx
        .insertInto('customer_field_values')
        .values({ customer_id: survivorId, field_id: fieldId, value_text: r.value_text as string | null, value_key: r.value_key as string | null, value_num: r.value_num === null ? null : Number(r.value_num), created_at: now, updated_at: now })
        .execute()
    }
  }
  await trx.deleteFrom('customer_field_values').where('customer_id', 'in', [...othersNewestFirst]).execute()
  return { rows, added }
}

/** Undoes mergeFieldValues after the merged-away customers are back: their rows return, the survivor's borrowed values go. */
export async function unmergeFieldValues(trx: Kysely<Database>, survivorId: number, merged: Partial<MergedFieldValues>): Promise<void> {
  if (merged.added?.length) await trx.deleteFrom('customer_field_values').where('customer_id', '=', survivorId).where('field_id', 'in', merged.added).execute()
  const fields = new Set((await trx.selectFrom('custom_fields').select('id').execute()).map((f) => Number(f.id)))
  // A field removed since the merge has no values to restore.
  const rows = (merged.rows ?? []).filter((r) => fields.has(Number(r.field_id)))
  for (const r of rows) await trx.insertInto('customer_field_values').values(r as never).execute()
}
