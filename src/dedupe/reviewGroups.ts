import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import { writeTransaction } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import type { DuplicateGroup } from './findDuplicateGroups.js'
import { mergeCustomers, type MergeResult } from './mergeCustomers.js'

export type ReviewAnswer = 'merge' | 'skip' | 'distinct' | 'quit'

export interface ReviewSummary {
  merged: MergeResult[]
  skipped: number
  distinct: number
  /** Groups not shown because the person quit. */
  left: number
}

/**
 * Remembers that these customers are not the same person: every pair of them goes
 * into distinct_pairs, and dedupe never proposes them together again.
 */
export async function markDistinct(db: Kysely<Database>, ids: readonly number[], now: string): Promise<void> {
  const pairs: Array<{ customer_a: number; customer_b: number; created_at: string; updated_at: string }> = []
  for (let x = 0; x < ids.length; x++)
    for (let y = x + 1; y < ids.length; y++) {
      const [a, b] = ids[x]! < ids[y]! ? [ids[x]!, ids[y]!] : [ids[y]!, ids[x]!]
      pairs.push({ customer_a: a, customer_b: b, created_at: now, updated_at: now })
    }
  if (pairs.length === 0) return
  await writeTransaction(db, (trx) => trx.insertInto('distinct_pairs').values(pairs).onConflict((oc) => oc.doNothing()).execute())
}

/** The remembered "not the same person" pairs (SQLite, read by the dedupe worker). */
export function distinctPairs(sqlite: BetterSqlite3.Database): Array<[number, number]> {
  return (sqlite.prepare('select customer_a, customer_b from distinct_pairs').raw().all() as Array<[number, number]>)
}

/**
 * Walks the groups one at a time; `ask` shows a group and returns the person's answer.
 * A merge or a "not the same person" is written at once (each its own transaction),
 * so quitting half-way keeps what was decided.
 */
export async function reviewGroups(
  db: Kysely<Database>,
  groups: readonly DuplicateGroup[],
  ask: (group: DuplicateGroup, index: number, total: number) => Promise<ReviewAnswer>,
  now: () => string,
): Promise<ReviewSummary> {
  const summary: ReviewSummary = { merged: [], skipped: 0, distinct: 0, left: 0 }
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!
    const answer = await ask(group, i, groups.length)
    if (answer === 'quit') {
      summary.left = groups.length - i
      break
    }
    if (answer === 'merge') summary.merged.push(await mergeCustomers(db, group.ids, now()))
    else if (answer === 'distinct') {
      await markDistinct(db, group.ids, now())
      summary.distinct++
    } else summary.skipped++
  }
  return summary
}
