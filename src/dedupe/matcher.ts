import type { CrmDb } from '../db/openDb.js'
import { CrmError } from '../errors.js'
import type { BlockingRule } from './blocking.js'
import { explainPair } from './explain.js'
import { probabilityOf, scorePair, type MatchModel } from './fellegiSunter.js'
import { DEFAULT_THRESHOLD, learnModel } from './findDuplicateGroups.js'
import { loadMatchInputs, loadMatchInputsFrom } from './loadMatchInputs.js'
import { prepareRecord, type MatchInput, type PreparedRecord } from './prepareRecord.js'

/** A customer-shaped row to look up; any field may be missing. */
export type CandidateRow = Partial<Omit<MatchInput, 'id' | 'extraIds'>>

export interface Match {
  id: number
  score: number
  reasons: string[]
}

/** The customers in matching form, their block index and the learned model. */
export class Matcher {
  private readonly index: Array<Map<string, number[]>>
  constructor(
    readonly records: PreparedRecord[],
    readonly model: MatchModel,
    private readonly rules: BlockingRule[],
  ) {
    this.index = rules.map((rule) => {
      const map = new Map<string, number[]>()
      records.forEach((r, i) => {
        for (const k of rule.keys(r)) {
          const list = map.get(k)
          if (list) list.push(i)
          else map.set(k, [i])
        }
      })
      return map
    })
  }

  /** Existing customers the row is likely to be, best first, with reasons. */
  findMatchesFor(row: CandidateRow, threshold = DEFAULT_THRESHOLD): Match[] {
    const probe = prepareRecord({
      id: 0,
      first_name: row.first_name ?? null,
      last_name: row.last_name ?? null,
      email: row.email ?? null,
      phone: row.phone ?? null,
      phone_e164: row.phone_e164 ?? null,
      birth_date: row.birth_date ?? null,
      street: row.street ?? null,
      city: row.city ?? null,
      region: row.region ?? null,
      postal_code: row.postal_code ?? null,
    })
    const seen = new Set<number>()
    const out: Match[] = []
    this.rules.forEach((rule, r) => {
      for (const k of rule.keys(probe)) {
        const members = this.index[r]!.get(k)
        if (!members || members.length > 300) continue
        for (const i of members) {
          if (seen.has(i)) continue
          seen.add(i)
          const other = this.records[i]!
          const scored = scorePair(this.model, other, probe)
          const score = probabilityOf(scored.weight)
          if (score >= threshold) out.push({ id: other.id, score, reasons: explainPair(this.model, other, probe, scored) })
        }
      }
    })
    return out.sort((a, b) => b.score - a.score || a.id - b.id)
  }
}

const matchers = new WeakMap<CrmDb, Matcher>()

function buildMatcher(inputs: MatchInput[]): Matcher {
  const records = inputs.map((c) => prepareRecord(c))
  const { model, rules } = learnModel(records)
  return new Matcher(records, model, rules)
}

/** Loads every customer and learns the weights once per open database (SQLite, synchronously). */
export function matcherFor(crm: CrmDb): Matcher {
  let m = matchers.get(crm)
  if (!m) {
    if (crm.kind !== 'sqlite') throw new CrmError('the duplicate matcher is not loaded yet (await loadMatcher(crm) first)')
    m = buildMatcher(loadMatchInputs(crm.sqlite))
    matchers.set(crm, m)
  }
  return m
}

/**
 * Loads the matcher ahead of the first `findMatchesFor`, on either dialect: PostgreSQL
 * can only read asynchronously, and the import's row writer is synchronous.
 */
export async function loadMatcher(crm: CrmDb): Promise<Matcher> {
  const had = matchers.get(crm)
  if (had) return had
  if (crm.kind === 'sqlite') return matcherFor(crm)
  const m = buildMatcher(await loadMatchInputsFrom(crm.db))
  matchers.set(crm, m)
  return m
}

/**
 * The customers already in the database that `candidateRow` probably is, best first,
 * each with its probability and reasons ("same phone; first name Rob ≈ Robert (nickname)").
 * For `crm import --dedupe`: the first call loads the customers and learns the weights
 * (about a second per 100,000 customers); later calls on the same handle reuse them, so
 * rows inserted by the import itself are not seen until the next open.
 *
 * @example
 * const matches = findMatchesFor(crm, { first_name: 'Rob', last_name: 'Smith', phone: '+1 555 0100' })
 * if (matches[0]) console.log(matches[0].id, matches[0].score, matches[0].reasons.join('; '))
 */
export function findMatchesFor(crm: CrmDb, candidateRow: CandidateRow, threshold = DEFAULT_THRESHOLD): Match[] {
  return matcherFor(crm).findMatchesFor(candidateRow, threshold)
}
