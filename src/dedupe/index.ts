/** The dedupe feature's entry: what the CLI (and the importer) call. */
import type { Kysely } from 'kysely'
import { writeTransaction } from '../db/dialect.js'
import type { CrmDb, SqliteCrmDb } from '../db/openDb.js'
import type { Database } from '../db/schema.js'
import { findDuplicateGroups, type DedupeResult, type DuplicateGroup } from './findDuplicateGroups.js'
import { iterateMatchInputs, loadMatchInputsFrom, matchInputsById } from './loadMatchInputs.js'
import { mergeCustomersIn, type MergeResult } from './mergeCustomers.js'
import { modelWeights, type ModelWeights } from './modelWeights.js'
import { distinctPairs } from './reviewGroups.js'

export { DEFAULT_THRESHOLD, type DuplicateGroup } from './findDuplicateGroups.js'
export type { ModelWeights, WeightRow } from './modelWeights.js'
export { findMatchesFor, loadMatcher, type CandidateRow, type Match } from './matcher.js'
export { mergeCustomers, mergeCustomersIn, type MergeResult } from './mergeCustomers.js'
export { unmergeCustomers, type UnmergeResult } from './unmergeCustomers.js'
export { markDistinct, reviewGroups, type ReviewAnswer, type ReviewSummary } from './reviewGroups.js'

export interface RunDedupeOptions {
  threshold?: number
  /** Keys of the customers' extra JSON compared as identifiers. */
  extraIdNames?: string[]
  /** Only these customers (from the shared filter). */
  ids?: number[]
}

/** A duplicate group with the members' names, for display. */
export interface ShownGroup extends DuplicateGroup {
  names: string[]
}

/** Finds the duplicate groups among the customers of a SQLite file, best first, skipping pairs marked distinct. */
export function runDedupe(crm: Pick<SqliteCrmDb, 'sqlite'>, options: RunDedupeOptions = {}): DedupeResult & { shown: ShownGroup[]; weights: ModelWeights } {
  // Every customer is read so the weights come from the whole list; a filter only
  // chooses whose groups are shown.
  const sqlite = crm.sqlite
  const inputs = iterateMatchInputs(sqlite, { extraIdNames: options.extraIdNames })
  // Originals are read back only for the customers in groups: a million raw rows would
  // double the memory a run needs.
  return withNames(
    findDuplicateGroups(inputs, {
      threshold: options.threshold,
      extraIdNames: options.extraIdNames,
      distinctPairs: distinctPairs(sqlite),
      keepSource: false,
      onlyIds: options.ids ? new Set(options.ids) : undefined,
      sourcesOf: (ids) => matchInputsById(sqlite, ids, options.extraIdNames),
    }),
  )
}

/**
 * The same on any database through Kysely (PostgreSQL): the customers are read through a
 * cursor and kept with their originals (no synchronous read-back by id over the network).
 */
export async function runDedupeOn(db: Kysely<Database>, options: RunDedupeOptions = {}): Promise<DedupeResult & { shown: ShownGroup[]; weights: ModelWeights }> {
  const inputs = await loadMatchInputsFrom(db, { extraIdNames: options.extraIdNames })
  const pairs = await db.selectFrom('distinct_pairs').select(['customer_a', 'customer_b']).execute()
  return withNames(
    findDuplicateGroups(inputs, {
      threshold: options.threshold,
      extraIdNames: options.extraIdNames,
      distinctPairs: pairs.map((p) => [p.customer_a, p.customer_b] as const),
      keepSource: true,
      onlyIds: options.ids ? new Set(options.ids) : undefined,
    }),
  )
}

function withNames(result: DedupeResult): DedupeResult & { shown: ShownGroup[]; weights: ModelWeights } {
  const byId = new Map(result.records.map((r) => [r.id, r]))
  const shown = result.groups.map((g) => ({
    ...g,
    names: g.ids.map((id) => {
      const s = byId.get(id)?.source
      return [s?.first_name, s?.last_name].filter(Boolean).join(' ')
    }),
  }))
  return { ...result, shown, weights: modelWeights(result.model) }
}

/** Merges every group in one transaction: all of them, or none if one fails. */
export async function mergeGroups(crm: CrmDb, groups: readonly DuplicateGroup[], now: string): Promise<MergeResult[]> {
  return writeTransaction(crm.db, async (trx) => {
    const out: MergeResult[] = []
    for (const g of groups) out.push(await mergeCustomersIn(trx, g.ids, now))
    return out
  })
}
