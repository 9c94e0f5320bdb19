/** The dedupe feature's entry: what the CLI (and the importer) call. */
import { sqliteOnly, type CrmDb, type SqliteCrmDb } from '../db/openDb.js'
import { findDuplicateGroups, type DedupeResult, type DuplicateGroup } from './findDuplicateGroups.js'
import { iterateMatchInputs, matchInputsById } from './loadMatchInputs.js'
import { mergeCustomers, type MergeResult } from './mergeCustomers.js'
import { distinctPairs } from './reviewGroups.js'

export { DEFAULT_THRESHOLD, type DuplicateGroup } from './findDuplicateGroups.js'
export { findMatchesFor, type CandidateRow, type Match } from './matcher.js'
export { mergeCustomers, type MergeResult } from './mergeCustomers.js'
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

/** Finds the duplicate groups among the customers, best first, skipping pairs marked distinct. */
export function runDedupe(crm: CrmDb | Pick<SqliteCrmDb, 'sqlite'>, options: RunDedupeOptions = {}): DedupeResult & { shown: ShownGroup[] } {
  // Every customer is read so the weights come from the whole list; a filter only
  // chooses whose groups are shown.
  const sqlite = 'kind' in crm ? sqliteOnly(crm, 'crm dedupe') : crm.sqlite
  const inputs = iterateMatchInputs(sqlite, { extraIdNames: options.extraIdNames })
  // Originals are read back only for the customers in groups: a million raw rows would
  // double the memory a run needs.
  const result = findDuplicateGroups(inputs, {
    threshold: options.threshold,
    extraIdNames: options.extraIdNames,
    distinctPairs: distinctPairs(sqlite),
    keepSource: false,
    onlyIds: options.ids ? new Set(options.ids) : undefined,
    sourcesOf: (ids) => matchInputsById(sqlite, ids, options.extraIdNames),
  })
  const byId = new Map(result.records.map((r) => [r.id, r]))
  const shown = result.groups.map((g) => ({
    ...g,
    names: g.ids.map((id) => {
      const s = byId.get(id)?.source
      return [s?.first_name, s?.last_name].filter(Boolean).join(' ')
    }),
  }))
  return { ...result, shown }
}

/** Merges every group in one transaction: all of them, or none if one fails. */
export function mergeGroups(crm: CrmDb, groups: readonly DuplicateGroup[], now: string): MergeResult[] {
  const sqlite = sqliteOnly(crm, 'crm dedupe --merge')
  return sqlite.transaction(() => groups.map((g) => mergeCustomers(sqlite, g.ids, now)))()
}
