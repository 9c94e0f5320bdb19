import { defaultBlockingRules, forEachCandidatePair, type BlockingStats } from './blocking.js'
import { defaultComparisons } from './comparators.js'
import { explainPair } from './explain.js'
import { PairBuffer, PairReservoir, probabilityOf, scorePair, trainModel, weightOf, type MatchModel } from './fellegiSunter.js'
import { groupPairs, type Link } from './groupPairs.js'
import { GivenNameCounts } from './nameFrequency.js'
import { prepareRecord, type MatchInput, type PreparedRecord } from './prepareRecord.js'
import { seededRandom } from '../util/seededRandom.js'

/** The one default: pairs at or above this probability are duplicates. */
export const DEFAULT_THRESHOLD = 0.9
/** Inside a group every pair must reach this probability (the weak-chain guard). */
export const DEFAULT_GUARD = 0.2

export interface DedupeOptions {
  threshold?: number
  guard?: number
  /** Extra columns compared as identifiers (exact, one typo, differs). */
  extraIdNames?: string[]
  /**
   * Only group these customer ids (a filter). The weights are still learned from every
   * record given, so a small selection is judged as well as the whole list.
   */
  onlyIds?: ReadonlySet<number>
  /** Pairs of customer ids marked "not the same person": never grouped. */
  distinctPairs?: ReadonlyArray<readonly [number, number]>
  /** Keep original values for explanations (costs memory at a million records). */
  keepSource?: boolean
  /** When sources are not kept: the original values of a group's members, for its reasons. */
  sourcesOf?: (ids: number[]) => Map<number, MatchInput>
  seed?: number
}

export interface PairExplanation {
  a: number
  b: number
  score: number
  reasons: string[]
}

export interface DuplicateGroup {
  /** Customer ids, oldest (lowest) first. */
  ids: number[]
  /** The lowest pair probability inside the group. */
  score: number
  /** Why the weakest pair in the group matched. */
  reasons: string[]
  pairs: PairExplanation[]
}

export interface DedupeStats {
  records: number
  candidatePairs: number
  blocking: BlockingStats[]
  seconds: { prepare: number; block: number; train: number; score: number; group: number }
}

export interface DedupeResult {
  groups: DuplicateGroup[]
  stats: DedupeStats
  model: MatchModel
  records: PreparedRecord[]
}

const pairKey = (a: number, b: number) => (a < b ? `${a},${b}` : `${b},${a}`)

/**
 * Finds groups of records that are likely the same person: normalise, block, learn
 * m/u weights from the data (no labels), score candidate pairs, group with a guard.
 * Pure: takes plain values, returns groups best first.
 */
export function findDuplicateGroups(inputs: Iterable<MatchInput>, options: DedupeOptions = {}): DedupeResult {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD
  const guard = Math.min(options.guard ?? DEFAULT_GUARD, threshold)
  const extraIdNames = options.extraIdNames ?? []
  let t = performance.now()
  const lap = () => {
    const now = performance.now()
    const s = (now - t) / 1000
    t = now
    return s
  }

  const records: PreparedRecord[] = []
  for (const c of inputs) records.push(prepareRecord(c, options.keepSource ?? true))
  const prepare = lap()

  const { model, candidates, blocking, blockSeconds } = learnModel(records, extraIdNames, options.seed)
  const block = blockSeconds
  const train = lap() - blockSeconds

  const distinct = new Set((options.distinctPairs ?? []).map(([a, b]) => pairKey(a, b)))
  const isDistinct = (i: number, j: number) => distinct.size > 0 && distinct.has(pairKey(records[i]!.id, records[j]!.id))
  const guardWeight = weightOf(guard)
  const links: Link[] = []
  const only = options.onlyIds
  for (let p = 0; p < candidates.length; p++) {
    const i = candidates.left[p]!
    const j = candidates.right[p]!
    if (only && !(only.has(records[i]!.id) && only.has(records[j]!.id))) continue
    const w = scorePair(model, records[i]!, records[j]!).weight
    if (w >= guardWeight && !isDistinct(i, j)) links.push({ i, j, weight: w })
  }
  const score = lap()

  const raw = groupPairs(
    links,
    (i, j) => (isDistinct(i, j) ? -Infinity : scorePair(model, records[i]!, records[j]!).weight),
    { minWeight: weightOf(threshold), guardWeight },
  )
  const groups = raw.map((g) => {
    if (options.sourcesOf && !records[g.members[0]!]!.source) {
      const sources = options.sourcesOf(g.members.map((m) => records[m]!.id))
      for (const m of g.members) records[m]!.source = sources.get(records[m]!.id) ?? null
    }
    return describeGroup(model, records, g.members, g.pairs)
  })
  groups.sort((x, y) => y.score - x.score || x.ids[0]! - y.ids[0]!)
  const group = lap()

  return {
    groups,
    model,
    records,
    stats: { records: records.length, candidatePairs: candidates.length, blocking, seconds: { prepare, block, train, score, group } },
  }
}

/**
 * Blocks the records and learns the model's weights from them (no labels).
 * The candidate pairs come back too, so scoring does not block again.
 */
export function learnModel(records: readonly PreparedRecord[], extraIdNames: readonly string[] = [], seed = 1) {
  const t0 = performance.now()
  const comparisons = defaultComparisons(extraIdNames, new GivenNameCounts(records))
  const rules = defaultBlockingRules(extraIdNames)
  const rand = seededRandom(seed)
  const candidates = new PairBuffer()
  const reservoirs = rules.map(() => new PairReservoir(10_000, rand))
  const blocking = forEachCandidatePair(records, rules, (i, j, rule, again) => {
    if (!again) candidates.push(i, j)
    reservoirs[rule]!.offer(i, j)
  })
  const blockSeconds = (performance.now() - t0) / 1000
  const model = trainModel(records, comparisons, rules, reservoirs, candidates, { seed })
  return { model, rules, candidates, blocking, blockSeconds }
}

function describeGroup(model: MatchModel, records: readonly PreparedRecord[], members: number[], links: Link[]): DuplicateGroup {
  const pairs = links.map((l) => {
    const a = records[l.i]!
    const b = records[l.j]!
    const [x, y] = a.id < b.id ? [a, b] : [b, a]
    const scored = scorePair(model, x, y)
    return { a: x.id, b: y.id, score: probabilityOf(scored.weight), reasons: explainPair(model, x, y, scored) }
  })
  pairs.sort((p, q) => p.a - q.a || p.b - q.b)
  const weakest = pairs.reduce((w, p) => (p.score < w.score ? p : w), pairs[0]!)
  return {
    ids: members.map((m) => records[m]!.id).sort((a, b) => a - b),
    score: weakest.score,
    reasons: weakest.reasons,
    pairs,
  }
}
