import type { Kysely } from 'kysely'
import { isConstraintViolation, writeTransaction } from '../db/dialect.js'
import type { CustomerUpdate, Database } from '../db/schema.js'
import { CrmError } from '../errors.js'
import { unmergeFieldValues } from '../fields/mergeFieldValues.js'
import type { MergeSnapshot, RowValues } from './mergeCustomers.js'

export interface UnmergeResult {
  mergeId: number
  survivorId: number
  restoredIds: number[]
  /** Moved rows that no longer exist (deleted since the merge): not restored. */
  missingRows: number
}

/**
 * Undoes a merge in one transaction: the survivor's row and the merged-away rows come
 * back exactly as they were, every purchase, contact and NPS answer returns to its
 * customer, tag links are restored and the ones the merge added removed.
 * Refuses if the survivor changed since (its later edits would be lost).
 */
export async function unmergeCustomers(db: Kysely<Database>, mergeId: number, now: string): Promise<UnmergeResult> {
  return writeTransaction(db, async (trx) => {
    const merge = await trx.selectFrom('merges').selectAll().where('id', '=', mergeId).executeTakeFirst()
    if (!merge) throw new CrmError(`no merge with id ${mergeId} (crm merge prints the id; the audit log lists them)`)
    if (merge.undone_at) throw new CrmError(`merge ${mergeId} was already undone at ${merge.undone_at}`)
    const current = await trx.selectFrom('customers').select('updated_at').where('id', '=', merge.survivor_id).executeTakeFirst()
    if (!current) throw new CrmError(`customer ${merge.survivor_id} no longer exists (merged again or removed); undo the later change first`)
    if (current.updated_at !== merge.survivor_updated_at) {
      throw new CrmError(`customer ${merge.survivor_id} was changed after merge ${mergeId} (at ${current.updated_at}); unmerging would lose that change, nothing undone`)
    }
    const snap = JSON.parse(merge.snapshot) as MergeSnapshot
    const [survivor, ...others] = snap.customers
    if (!survivor) throw new CrmError(`merge ${mergeId} has no snapshot`)
    const survivorId = Number(survivor.id)

    const { id: _id, ...before } = survivor
    await trx.updateTable('customers').set(before as CustomerUpdate).where('id', '=', survivorId).execute()
    for (const row of others) await insertRow(trx, 'customers', row, mergeId)

    let missingRows = 0
    for (const m of snap.moved) {
      const r = await trx.updateTable(m.table).set({ customer_id: m.customer_id }).where('id', '=', m.id).where('customer_id', '=', survivorId).executeTakeFirst()
      if (Number(r.numUpdatedRows) === 0) missingRows++
    }
    if (snap.addedTags.length) {
      await trx.deleteFrom('customer_tags').where('customer_id', '=', survivorId).where('tag_id', 'in', snap.addedTags).execute()
    }
    const linkTagIds = [...new Set(snap.tagLinks.map((l) => Number(l.tag_id)))]
    const tagsLeft = new Set(
      linkTagIds.length ? (await trx.selectFrom('tags').select('id').where('id', 'in', linkTagIds).execute()).map((t) => t.id) : [],
    )
    for (const link of snap.tagLinks) if (tagsLeft.has(Number(link.tag_id))) await insertRow(trx, 'customer_tags', link, mergeId)
    if (snap.fieldValues) await unmergeFieldValues(trx, survivorId, snap.fieldValues)

    await trx.updateTable('merges').set({ undone_at: now, updated_at: now }).where('id', '=', mergeId).execute()
    const restoredIds = others.map((r) => Number(r.id)).sort((a, b) => a - b)
    await trx
      .insertInto('audit')
      .values({ at: now, action: 'unmerge', customer_id: survivorId, details: JSON.stringify({ merge_id: mergeId, restored_ids: restoredIds, missing_rows: missingRows }) })
      .execute()
    return { mergeId, survivorId, restoredIds, missingRows }
  })
}

async function insertRow(trx: Kysely<Database>, table: 'customers' | 'customer_tags', row: RowValues, mergeId: number): Promise<void> {
  try {
    await trx.insertInto(table).values(row as never).execute()
  } catch (err) {
    if (isConstraintViolation(err)) {
      throw new CrmError(`cannot undo merge ${mergeId}: a ${table} row it would restore clashes with data added since (${(err as Error).message}); nothing undone`, 1, { cause: err })
    }
    throw err
  }
}
