import type BetterSqlite3 from 'better-sqlite3'
import { CrmError } from '../errors.js'
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
export function unmergeCustomers(sqlite: BetterSqlite3.Database, mergeId: number, now: string): UnmergeResult {
  return sqlite.transaction(() => {
    const merge = sqlite.prepare('select * from merges where id = ?').get(mergeId) as
      | { id: number; survivor_id: number; snapshot: string; survivor_updated_at: string; undone_at: string | null }
      | undefined
    if (!merge) throw new CrmError(`no merge with id ${mergeId} (crm merge prints the id; the audit log lists them)`)
    if (merge.undone_at) throw new CrmError(`merge ${mergeId} was already undone at ${merge.undone_at}`)
    const current = sqlite.prepare('select updated_at from customers where id = ?').get(merge.survivor_id) as { updated_at: string } | undefined
    if (!current) throw new CrmError(`customer ${merge.survivor_id} no longer exists (merged again or removed); undo the later change first`)
    if (current.updated_at !== merge.survivor_updated_at) {
      throw new CrmError(`customer ${merge.survivor_id} was changed after merge ${mergeId} (at ${current.updated_at}); unmerging would lose that change, nothing undone`)
    }
    const snap = JSON.parse(merge.snapshot) as MergeSnapshot
    const [survivor, ...others] = snap.customers
    if (!survivor) throw new CrmError(`merge ${mergeId} has no snapshot`)

    const columns = Object.keys(survivor)
    sqlite
      .prepare(`update customers set ${columns.filter((c) => c !== 'id').map((c) => `${c} = ?`).join(', ')} where id = ?`)
      .run(...columns.filter((c) => c !== 'id').map((c) => survivor[c]), survivor.id)
    for (const row of others) insertRow(sqlite, 'customers', row, mergeId)

    let missingRows = 0
    const moveBack = {
      purchases: sqlite.prepare('update purchases set customer_id = ? where id = ? and customer_id = ?'),
      interactions: sqlite.prepare('update interactions set customer_id = ? where id = ? and customer_id = ?'),
      nps_answers: sqlite.prepare('update nps_answers set customer_id = ? where id = ? and customer_id = ?'),
    }
    for (const m of snap.moved) {
      if (moveBack[m.table].run(m.customer_id, m.id, survivor.id).changes === 0) missingRows++
    }
    const unlink = sqlite.prepare('delete from customer_tags where customer_id = ? and tag_id = ?')
    for (const tagId of snap.addedTags) unlink.run(survivor.id, tagId)
    const tagExists = sqlite.prepare('select 1 from tags where id = ?')
    for (const link of snap.tagLinks) if (tagExists.get(link.tag_id)) insertRow(sqlite, 'customer_tags', link, mergeId)

    sqlite.prepare('update merges set undone_at = ?, updated_at = ? where id = ?').run(now, now, mergeId)
    const restoredIds = others.map((r) => Number(r.id)).sort((a, b) => a - b)
    sqlite
      .prepare('insert into audit (at, action, customer_id, details) values (?, ?, ?, ?)')
      .run(now, 'unmerge', survivor.id, JSON.stringify({ merge_id: mergeId, restored_ids: restoredIds, missing_rows: missingRows }))
    return { mergeId, survivorId: Number(survivor.id), restoredIds, missingRows }
  })()
}

function insertRow(sqlite: BetterSqlite3.Database, table: string, row: RowValues, mergeId: number): void {
  const columns = Object.keys(row)
  try {
    sqlite.prepare(`insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`).run(...columns.map((c) => row[c]))
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT')) {
      throw new CrmError(`cannot undo merge ${mergeId}: a ${table} row it would restore clashes with data added since (${(err as Error).message}); nothing undone`, 1, { cause: err })
    }
    throw err
  }
}
