import type BetterSqlite3 from 'better-sqlite3'
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
export function markDistinct(sqlite: BetterSqlite3.Database, ids: readonly number[], now: string): void {
  const insert = sqlite.prepare(
    'insert into distinct_pairs (customer_a, customer_b, created_at, updated_at) values (?, ?, ?, ?) on conflict do nothing',
  )
  sqlite.transaction(() => {
    for (let x = 0; x < ids.length; x++)
      for (let y = x + 1; y < ids.length; y++) {
        const [a, b] = ids[x]! < ids[y]! ? [ids[x]!, ids[y]!] : [ids[y]!, ids[x]!]
        insert.run(a, b, now, now)
      }
  })()
}

/** The remembered "not the same person" pairs. */
export function distinctPairs(sqlite: BetterSqlite3.Database): Array<[number, number]> {
  return (sqlite.prepare('select customer_a, customer_b from distinct_pairs').raw().all() as Array<[number, number]>)
}

/**
 * Walks the groups one at a time; `ask` shows a group and returns the person's answer.
 * A merge or a "not the same person" is written at once (each its own transaction),
 * so quitting half-way keeps what was decided.
 */
export async function reviewGroups(
  sqlite: BetterSqlite3.Database,
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
    if (answer === 'merge') summary.merged.push(mergeCustomers(sqlite, group.ids, now()))
    else if (answer === 'distinct') {
      markDistinct(sqlite, group.ids, now())
      summary.distinct++
    } else summary.skipped++
  }
  return summary
}
