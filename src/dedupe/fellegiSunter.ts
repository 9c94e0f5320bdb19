import type { BlockingRule } from './blocking.js'
import type { Comparison } from './comparators.js'
import { consonantSkeleton, GIVEN_NAME_COMMON, GIVEN_NAME_DIFFERS, namesSwapped, SURNAME_DIFFERS } from './comparators.js'
import type { PreparedRecord } from './prepareRecord.js'
import { seededRandom } from '../util/seededRandom.js'

/**
 * A Fellegi-Sunter model: for each comparison and level, m = P(level | same person)
 * and u = P(level | different people). A pair's match weight is the prior log-odds
 * plus the sum of log2(m/u) over its comparisons; a missing value adds nothing.
 */
export interface MatchModel {
  comparisons: Comparison[]
  m: number[][]
  u: number[][]
  /** log2 of the prior odds that two records picked at random are the same person. */
  priorWeight: number
  /** Per comparison with term-frequency adjustment: value → share of records with it. */
  tf: Array<Map<string, number> | null>
  /** Records the model was trained on (for unseen values' frequency). */
  recordCount: number
  /** log2(m/u) per comparison and level, cached. */
  logRatio: number[][]
  /** Where the street and place comparisons are (-1: absent), for counting a move once. */
  streetIndex: number
  placeIndex: number
  birthIndex: number
  firstIndex: number
  lastIndex: number
  /** The email and phone comparisons: an exact match there is personal evidence. */
  contactIndexes: number[]
  /** Records per full name (fullNameHash), only the names of three records or more. */
  fullNameCounts: Map<number, number>
  /** Per full name, its bearers counted in consonants across scripts, for names borne in Arabic script (see countSkeletonNames). */
  skeletonNameCounts: Map<number, number>
  /**
   * Of the pairs at one street address, the share with one surname and two given names:
   * families. Where there are none (FEBRL's lists) the learned weights stand alone; in a
   * shop's list of households the evidence against a match takes its set strength.
   */
  householdShare: number
  /** Pairs at one street address that share was measured on (too few: assume households). */
  addressPairs: number
  /** householdStrength() of the two above, kept for scoring. */
  strength: number
}

export interface ScoredPair {
  weight: number
  levels: Int8Array
  swapped: boolean
  /** Each comparison's contribution to the weight, in bits. */
  contributions: Float64Array
  /** A personal detail disagreed, so the shared household fields counted once. */
  household: boolean
}

/** P(same person) from a match weight in bits. */
export function probabilityOf(weight: number): number {
  return 1 / (1 + Math.pow(2, -weight))
}

/** The match weight of a probability (inverse of probabilityOf). */
export function weightOf(probability: number): number {
  const p = Math.min(Math.max(probability, 1e-12), 1 - 1e-12)
  return Math.log2(p / (1 - p))
}

export function compareLevels(comparisons: readonly Comparison[], a: PreparedRecord, b: PreparedRecord, swapped = namesSwapped(a, b)): { levels: Int8Array; swapped: boolean } {
  const levels = new Int8Array(comparisons.length)
  for (let c = 0; c < comparisons.length; c++) levels[c] = comparisons[c]!.compare(a, b, swapped)
  return { levels, swapped }
}

/** Scores one pair: weight, levels and each comparison's share. */
export function scorePair(model: MatchModel, a: PreparedRecord, b: PreparedRecord): ScoredPair {
  let { levels, swapped } = compareLevels(model.comparisons, a, b)
  // Half a swap: David Rossi and Deborah Davis share one name across (David, Davis), and
  // Rossi is no Deborah. FEBRL swaps and replaces a name in one duplicate; in a list of
  // households it is a couple, so the names are read as written.
  if (swapped && model.strength > 0 && (levels[model.firstIndex] === GIVEN_NAME_DIFFERS || levels[model.lastIndex] === SURNAME_DIFFERS)) {
    ;({ levels, swapped } = compareLevels(model.comparisons, a, b, false))
  }
  const contributions = new Float64Array(levels.length)
  let weight = model.priorWeight
  let against = false
  /** The strongest evidence against (bits, ≤ 0). */
  let firmest = 0
  const strength = model.strength
  for (let c = 0; c < levels.length; c++) {
    const l = levels[c]!
    if (l < 0) continue
    const comparison = model.comparisons[c]!
    let w = model.logRatio[c]![l]!
    const tf = model.tf[c]
    if (l === 0 && tf) {
      // Agreeing on a rare surname says more than agreeing on "Smith": u is that value's share.
      const value = comparison.exactValue!(a)
      if (value) {
        const share = Math.max(tf.get(value) ?? 0, 1 / model.recordCount)
        w = Math.log2(model.m[c]![0]! / share)
      }
    } else if (tf && strength > 0 && model.addressPairs >= MIN_ADDRESS_PAIRS && !swapped && comparison.spellings?.includes(l)) {
      // One name written two ways says no more than the commoner spelling agreeing exactly:
      // Ngueễn and Nguyễn are as weak a sign as Nguyễn and Nguyễn (learned, a typo weighs
      // more than the exact tf-adjusted Nguyễn, and a slip would join two households). Only
      // where households were measured: in a list of two, Robert is half the names.
      const share = Math.max(tf.get(comparison.exactValue!(a) ?? '') ?? 0, tf.get(comparison.exactValue!(b) ?? '') ?? 0, 1 / model.recordCount)
      const exact = Math.log2(model.m[c]![0]! / share)
      if (exact < w) w += strength * (exact - w)
    }
    const cap = comparison.against?.[l]
    if (cap !== undefined && strength > 0) {
      if (cap < w) w += strength * (cap - w)
      against = true
      firmest = Math.min(firmest, w)
    }
    contributions[c] = w
    weight += w
  }
  // The same birth date speaks for one person. One digit off does not: a couple born in one month.
  const birth = model.birthIndex
  const sameBirth = birth >= 0 && (levels[birth] === 0 || levels[birth] === 1)
  // Namesakes: a full name borne by three or more records says no more than its own
  // frequency, however rare its parts (Persian, Korean and Vietnamese given and family
  // names go together, so their shares do not multiply); one pair is the duplicate itself.
  // Only when nothing else personal agrees, and as far as the list has households (FEBRL's
  // generated people have independent given and family names, and up to five duplicates).
  // A slip in such a name (Hossien for Hossein) says no more than the name: the commoner
  // of the two full names counts; a Persian name's bearers count in both scripts.
  const fi = model.firstIndex
  const li = model.lastIndex
  const personal = sameBirth || model.contactIndexes.some((c) => levels[c] === 0)
  const spelled = (c: number) => levels[c] === 0 || (!swapped && model.comparisons[c]!.spellings?.includes(levels[c]!) === true)
  const acrossScripts = model.skeletonNameCounts.size > 0
  const bearers =
    strength > 0 && !personal && (model.fullNameCounts.size || acrossScripts) && spelled(fi) && spelled(li)
      ? Math.max(bearersOf(model, a, acrossScripts), levels[fi] === 0 && levels[li] === 0 && !acrossScripts ? 0 : bearersOf(model, b, acrossScripts))
      : 0
  if (bearers >= 3) {
    const most = Math.log2((model.m[fi]![0]! * model.m[li]![0]!) / ((bearers - 1) / model.recordCount))
    const both = contributions[fi]! + contributions[li]!
    if (both > most && both > 0) {
      const scale = 1 + strength * (most / both - 1)
      weight += both * (scale - 1)
      contributions[fi] = contributions[fi]! * scale
      contributions[li] = contributions[li]! * scale
    }
  }
  // Moving house changes the street and the town together: one event, counted once.
  const street = model.streetIndex
  const place = model.placeIndex
  if (street >= 0 && place >= 0 && contributions[street]! < 0 && contributions[place]! < 0 && levels[street] === 3 && levels[place] === 4) {
    const lesser = contributions[street]! < contributions[place]! ? place : street
    weight -= contributions[lesser]!
    contributions[lesser] = 0
  }
  let household = false
  if (against) {
    // People of one household share the address, phone and mailbox together: when a
    // personal detail says "someone else", their agreement counts once, the strongest.
    // Under other given names a shared birthday is the household's too: twins. Not across
    // scripts, where a short name's letters cannot show it is the same (Ali, علی).
    const otherName = fi >= 0 && levels[fi]! >= 0 && model.comparisons[fi]!.against?.[levels[fi]!] !== undefined && a.abjad === b.abjad
    const twins = sameBirth && otherName ? birth : -1
    const shared = (c: number) => (model.comparisons[c]!.household || c === twins) && contributions[c]! > 0
    let best = -1
    for (let c = 0; c < levels.length; c++) {
      if (!shared(c)) continue
      if (best < 0 || contributions[c]! > contributions[best]!) best = c
    }
    for (let c = 0; c < levels.length; c++) {
      if (c === best || !shared(c)) continue
      weight -= contributions[c]!
      contributions[c] = 0
      household = true
    }
    // And it weighs no more than the evidence against: a mailbox shared by a couple is 19
    // bits when no random pair shares one, and must not outweigh Paul ≠ Dorothy.
    if (best >= 0 && contributions[best]! > -firmest) {
      weight -= contributions[best]! + firmest
      contributions[best] = -firmest
      household = true
    }
  }
  return { weight, levels, swapped, contributions, household }
}

/** Candidate pairs as parallel arrays: left index, right index. */
export interface PairList {
  left: Int32Array
  right: Int32Array
  length: number
}

export interface TrainingOptions {
  seed?: number
  /** Random pairs drawn to estimate u. */
  randomPairs?: number
  /** Pairs per blocking rule used by expectation-maximisation to estimate m. */
  pairsPerRule?: number
  iterations?: number
}

export interface RulePairs {
  /** A uniform sample of every pair the rule made (including ones earlier rules made too). */
  sample: PairList
}

const clamp = (x: number) => Math.min(Math.max(x, 1e-6), 1 - 1e-6)

/**
 * Estimates u from random pairs (almost all of which are different people) and m by
 * expectation-maximisation over each blocking rule's pairs, leaving out the comparisons
 * that rule forces to agree (splink's approach): no labelled training data.
 */
export function trainModel(
  records: readonly PreparedRecord[],
  comparisons: Comparison[],
  rules: readonly BlockingRule[],
  rulePairs: readonly PairList[],
  candidates: PairList,
  options: TrainingOptions = {},
): MatchModel {
  const rand = seededRandom(options.seed ?? 1)
  const n = records.length
  const C = comparisons.length
  const sizes = comparisons.map((c) => c.levels.length)

  // u: levels over random pairs, add-one smoothed.
  const uCounts = sizes.map((s) => new Float64Array(s))
  const randomPairs = Math.min(options.randomPairs ?? 50_000, (n * (n - 1)) / 2)
  for (let k = 0; k < randomPairs && n > 1; k++) {
    const i = Math.floor(rand() * n)
    let j = Math.floor(rand() * (n - 1))
    if (j >= i) j++
    const { levels } = compareLevels(comparisons, records[i]!, records[j]!)
    for (let c = 0; c < C; c++) if (levels[c]! >= 0) uCounts[c]![levels[c]!]!++
  }
  const u = uCounts.map((counts, c) => blend(counts, comparisons[c]!.u0))

  // m: EM per blocking rule; the expected counts of the rules that leave a comparison
  // free are added up, then blended with the prior. The set evidence against (another
  // given name, a generation apart) takes part, or EM would take a family at one address
  // for one person entered several times and learn that given names change.
  const { householdShare, addressPairs } = shareOfHouseholds(records, comparisons, rules, rulePairs)
  const strength = householdStrength({ householdShare, addressPairs })
  // Per comparison and level, the set weight it may not exceed (+Infinity: none), looked up
  // in EM's inner loop.
  const caps = comparisons.map((c) => Float64Array.from(c.levels, (_, l) => c.against?.[l] ?? Infinity))
  const mCounts = sizes.map((s) => new Float64Array(s))
  const iterations = options.iterations ?? 15
  rules.forEach((rule, r) => {
    const pairs = rulePairs[r]!
    if (pairs.length < 10 || rule.train === false) return
    const active = comparisons.map((c) => !rule.fixes.includes(c.name))
    const vectors = levelVectors(comparisons, records, pairs)
    const m = comparisons.map((c) => [...c.m0])
    let lambda = 0.5
    let counts = sizes.map((s) => new Float64Array(s))
    for (let it = 0; it < iterations; it++) {
      counts = sizes.map((s) => new Float64Array(s))
      let total = 0
      for (let p = 0; p < pairs.length; p++) {
        let logit = Math.log2(lambda / (1 - lambda))
        const v = vectors.subarray(p * C, p * C + C)
        for (let c = 0; c < C; c++) {
          const l = v[c]!
          if (l < 0 || !active[c]) continue
          const w = Math.log2(m[c]![l]! / u[c]![l]!)
          const cap = caps[c]![l]!
          logit += strength > 0 && cap < w ? w + strength * (cap - w) : w
        }
        const post = probabilityOf(logit)
        total += post
        for (let c = 0; c < C; c++) if (v[c]! >= 0) counts[c]![v[c]!]! += post
      }
      lambda = clamp(total / pairs.length)
      for (let c = 0; c < C; c++) if (active[c]) m[c] = blend(counts[c]!, comparisons[c]!.m0)
    }
    for (let c = 0; c < C; c++) if (active[c]) for (let l = 0; l < sizes[c]!; l++) mCounts[c]![l]! += counts[c]![l]!
  })
  const m = mCounts.map((counts, c) => blend(counts, comparisons[c]!.m0))

  const tf = comparisons.map((c) => (c.exactValue ? valueShares(records, c.exactValue) : null))
  const logRatio = m.map((mc, c) => mc.map((x, l) => Math.log2(x / u[c]![l]!)))
  const streetIndex = comparisons.findIndex((c) => c.name === 'street')
  const placeIndex = comparisons.findIndex((c) => c.name === 'place')
  const birthIndex = comparisons.findIndex((c) => c.name === 'birth date')
  const firstIndex = comparisons.findIndex((c) => c.name === 'first name')
  const lastIndex = comparisons.findIndex((c) => c.name === 'surname')
  const contactIndexes = comparisons.flatMap((c, i) => (c.name === 'email' || c.name === 'phone' ? [i] : []))
  const fullNameCounts = countFullNames(records)
  const skeletonNameCounts = countSkeletonNames(records)
  const model: MatchModel = {
    ...{ comparisons, m, u, priorWeight: 0, tf, recordCount: n, logRatio },
    ...{ streetIndex, placeIndex, birthIndex, firstIndex, lastIndex, contactIndexes, fullNameCounts, skeletonNameCounts, householdShare, addressPairs, strength },
  }

  // The prior: the expected number of true pairs among the candidates (EM on the share
  // only), over the number of all pairs.
  const sample = samplePairs(candidates, 100_000, rand)
  const weights = new Float64Array(sample.length)
  for (let p = 0; p < sample.length; p++) weights[p] = scorePair(model, records[sample.left[p]!]!, records[sample.right[p]!]!).weight
  let lambda = 0.1
  for (let it = 0; it < 30; it++) {
    let total = 0
    const prior = Math.log2(lambda / (1 - lambda))
    for (let p = 0; p < sample.length; p++) total += probabilityOf(prior + weights[p]!)
    lambda = clamp(sample.length ? total / sample.length : 0.5)
  }
  const expectedMatches = Math.max(1, lambda * candidates.length)
  const prior = Math.min(expectedMatches / ((n * (n - 1)) / 2 || 1), 0.5)
  model.priorWeight = Math.log2(prior / (1 - prior))
  return model
}

/**
 * Below this share of families among the pairs at one address, the list has no households
 * to speak of: FEBRL's generated lists, whose corruptions alone give 6–7% (a given name
 * replaced, a surname copied). From it up to FULL_HOUSEHOLD_SHARE the set disagreement
 * weights phase in; the trap list (families, couples, fathers and sons) has about 60%.
 */
const NO_HOUSEHOLD_SHARE = 0.1
const FULL_HOUSEHOLD_SHARE = 0.25
/** Fewer pairs at one address than this say nothing: assume households (precision first). */
const MIN_ADDRESS_PAIRS = 20

/** How strongly the set disagreement weights apply, 0–1, from the list's share of households. */
export function householdStrength(model: Pick<MatchModel, 'householdShare' | 'addressPairs'>): number {
  if (model.addressPairs < MIN_ADDRESS_PAIRS) return 1
  return Math.min(1, Math.max(0, (model.householdShare - NO_HOUSEHOLD_SHARE) / (FULL_HOUSEHOLD_SHARE - NO_HOUSEHOLD_SHARE)))
}

function shareOfHouseholds(
  records: readonly PreparedRecord[],
  comparisons: readonly Comparison[],
  rules: readonly BlockingRule[],
  rulePairs: readonly PairList[],
): { householdShare: number; addressPairs: number } {
  const first = comparisons.findIndex((c) => c.name === 'first name')
  const last = comparisons.findIndex((c) => c.name === 'surname')
  const street = comparisons.findIndex((c) => c.name === 'street')
  if (first < 0 || last < 0 || street < 0) return { householdShare: 0, addressPairs: 0 }
  let pairs = 0
  let families = 0
  rules.forEach((rule, r) => {
    if (rule.name !== 'street + house number') return
    const list = rulePairs[r]!
    for (let p = 0; p < list.length; p++) {
      const { levels } = compareLevels(comparisons, records[list.left[p]!]!, records[list.right[p]!]!)
      if (levels[street] !== 0) continue
      pairs++
      if (levels[last] === 0 && levels[first]! >= GIVEN_NAME_COMMON) families++
    }
  })
  return { householdShare: pairs ? families / pairs : 0, addressPairs: pairs }
}

/**
 * A number for a full name, given and family name in either order (a swapped entry is the
 * same name): two 32-bit FNV-1a hashes in one double, so a million names need no strings.
 */
function fullNameHash(first: string, last: string): number {
  const [x, y] = first < last ? [first, last] : [last, first]
  let h1 = 0x811c9dc5
  let h2 = 0x01000193
  const mix = (s: string) => {
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0
      h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0
    }
  }
  mix(x)
  mix('|')
  mix(y)
  return (h1 & 0x1fffff) * 0x100000000 + h2
}

/**
 * Records bearing this record's full name (0 when fewer than three); with `acrossScripts`,
 * the bearers in Arabic script and in Latin letters together when that is more.
 */
function bearersOf(model: MatchModel, r: PreparedRecord, acrossScripts: boolean): number {
  const h = fullNameHash(r.first, r.last)
  const written = model.fullNameCounts.get(h) ?? 0
  return acrossScripts ? Math.max(written, model.skeletonNameCounts.get(h) ?? 0) : written
}

/** Records per full name, keeping only names borne by three or more (the rest never cap). */
function countFullNames(records: readonly PreparedRecord[]): Map<number, number> {
  const counts = new Map<number, number>()
  for (const r of records) {
    if (!r.first || !r.last) continue
    const h = fullNameHash(r.first, r.last)
    counts.set(h, (counts.get(h) ?? 0) + 1)
  }
  for (const [h, n] of counts) if (n < 3) counts.delete(h)
  return counts
}

/**
 * Per full name as written (fullNameHash), the records bearing it in consonants, for the
 * names someone bears in Arabic script (Persian namesakes are counted across both scripts),
 * three or more; empty when no name is in Arabic script, so other lists pay nothing.
 * Keyed by the written name so that scoring a pair needs no consonant skeleton.
 */
function countSkeletonNames(records: readonly PreparedRecord[]): Map<number, number> {
  const byWritten = new Map<number, number>()
  if (!records.some((r) => r.abjad)) return byWritten
  const counts = new Map<number, number>()
  const inArabic = new Set<number>()
  const skeletonOf = new Map<number, number>()
  for (const r of records) {
    if (!r.first || !r.last) continue
    const written = fullNameHash(r.first, r.last)
    let h = skeletonOf.get(written)
    if (h === undefined) {
      h = fullNameHash(consonantSkeleton(r.first), consonantSkeleton(r.last))
      skeletonOf.set(written, h)
    }
    counts.set(h, (counts.get(h) ?? 0) + 1)
    if (r.abjad) inArabic.add(h)
  }
  for (const [written, h] of skeletonOf) {
    const n = counts.get(h)!
    if (n >= 3 && inArabic.has(h)) byWritten.set(written, n)
  }
  return byWritten
}

/** Observed level counts plus the prior as 20 pseudo-observations, as probabilities. */
function blend(counts: ArrayLike<number>, prior: readonly number[], strength = 20): number[] {
  let total = 0
  for (let i = 0; i < counts.length; i++) total += counts[i]! + strength * prior[i]!
  return Array.from(counts, (x, i) => clamp((x + strength * prior[i]!) / total))
}

function levelVectors(comparisons: readonly Comparison[], records: readonly PreparedRecord[], pairs: PairList): Int8Array {
  const C = comparisons.length
  const out = new Int8Array(pairs.length * C)
  for (let p = 0; p < pairs.length; p++) {
    out.set(compareLevels(comparisons, records[pairs.left[p]!]!, records[pairs.right[p]!]!).levels, p * C)
  }
  return out
}

function valueShares(records: readonly PreparedRecord[], valueOf: (r: PreparedRecord) => string | null): Map<string, number> {
  const counts = new Map<string, number>()
  let total = 0
  for (const r of records) {
    const v = valueOf(r)
    if (!v) continue
    counts.set(v, (counts.get(v) ?? 0) + 1)
    total++
  }
  const shares = new Map<string, number>()
  for (const [v, c] of counts) shares.set(v, c / Math.max(total, 1))
  return shares
}

/** Up to `max` pairs drawn uniformly from a list (all of them when it is smaller). */
export function samplePairs(list: PairList, max: number, rand: () => number): PairList {
  if (list.length <= max) return list
  const left = new Int32Array(max)
  const right = new Int32Array(max)
  for (let k = 0; k < max; k++) {
    const p = Math.floor(rand() * list.length)
    left[k] = list.left[p]!
    right[k] = list.right[p]!
  }
  return { left, right, length: max }
}

/** A growable pair list. */
export class PairBuffer {
  left = new Int32Array(1024)
  right = new Int32Array(1024)
  length = 0
  push(i: number, j: number): void {
    if (this.length === this.left.length) {
      const l = new Int32Array(this.left.length * 2)
      l.set(this.left)
      this.left = l
      const r = new Int32Array(this.right.length * 2)
      r.set(this.right)
      this.right = r
    }
    this.left[this.length] = i
    this.right[this.length] = j
    this.length++
  }
}

/** Keeps a uniform sample of at most `max` pairs from a stream (reservoir sampling). */
export class PairReservoir {
  readonly left: Int32Array
  readonly right: Int32Array
  length = 0
  private seen = 0
  constructor(
    private readonly max: number,
    private readonly rand: () => number,
  ) {
    this.left = new Int32Array(max)
    this.right = new Int32Array(max)
  }
  offer(i: number, j: number): void {
    this.seen++
    if (this.length < this.max) {
      this.left[this.length] = i
      this.right[this.length] = j
      this.length++
      return
    }
    const k = Math.floor(this.rand() * this.seen)
    if (k < this.max) {
      this.left[k] = i
      this.right[k] = j
    }
  }
}
