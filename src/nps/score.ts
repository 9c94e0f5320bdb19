/**
 * Net Promoter Score arithmetic on plain counts: no database, no printing.
 * Promoters answer 9–10, passives 7–8, detractors 0–6; NPS = % promoters − % detractors.
 */

export type NpsClass = 'promoter' | 'passive' | 'detractor'

/** How many answers fell in each class. People who did not answer are not counted. */
export interface NpsCounts {
  promoters: number
  passives: number
  detractors: number
}

/** The 95% two-sided normal quantile. */
export const Z95 = 1.959964

/** Below this many answers the score moves by double digits on a handful of people. */
export const SMALL_N = 30

export function classify(score: number): NpsClass {
  if (!Number.isInteger(score) || score < 0 || score > 10) throw new RangeError(`${score} is not an NPS answer (0–10)`)
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor'
}

export function countScores(scores: Iterable<number>): NpsCounts {
  const c: NpsCounts = { promoters: 0, passives: 0, detractors: 0 }
  for (const s of scores) {
    const k = classify(s)
    if (k === 'promoter') c.promoters++
    else if (k === 'passive') c.passives++
    else c.detractors++
  }
  return c
}

export function addCounts(a: NpsCounts, b: NpsCounts): NpsCounts {
  return { promoters: a.promoters + b.promoters, passives: a.passives + b.passives, detractors: a.detractors + b.detractors }
}

export function total(c: NpsCounts): number {
  return c.promoters + c.passives + c.detractors
}

/**
 * The score and the variance of one answer's contribution (+1, 0, −1), as fractions.
 * With p = P/n and d = D/n: NPS = p − d, Var = p + d − (p − d)² (Rocks 2016).
 */
export function npsMoments(c: NpsCounts): { n: number; nps: number; variance: number } | null {
  const n = total(c)
  if (n === 0) return null
  const p = c.promoters / n
  const d = c.detractors / n
  return { n, nps: p - d, variance: p + d - (p - d) ** 2 }
}

/**
 * Adjusted Wald (Rocks 2016): add 0.75 promoters, 1.5 passives and 0.75 detractors
 * (three pseudo-answers) before computing the interval. It stays honest for small n and
 * for samples of all promoters or all detractors, where the plain variance is 0.
 */
export function adjustedCounts(c: NpsCounts): NpsCounts {
  return { promoters: c.promoters + 0.75, passives: c.passives + 1.5, detractors: c.detractors + 0.75 }
}

/** A 95% interval on the −100…+100 scale. */
export interface Interval {
  low: number
  high: number
}

/**
 * The 95% interval of the score, in points: NPS ± 1.96·√(Var/n)·100, clipped to −100…+100.
 * `adjusted` centres and scales it on the adjusted-Wald counts instead.
 */
export function npsInterval(c: NpsCounts, options: { adjusted?: boolean } = {}): Interval | null {
  if (total(c) === 0) return null
  const m = npsMoments(options.adjusted ? adjustedCounts(c) : c)!
  const half = Z95 * Math.sqrt(m.variance / m.n)
  return { low: Math.max(-100, (m.nps - half) * 100), high: Math.min(100, (m.nps + half) * 100) }
}

/** Everything `crm nps` shows for one population, in points and percent. */
export interface NpsSummary {
  n: number
  promoters: number
  passives: number
  detractors: number
  /** Shares in percent of n (null when n = 0). */
  promoters_pct: number | null
  passives_pct: number | null
  detractors_pct: number | null
  /** −100…+100; null when nobody answered. */
  nps: number | null
  low: number | null
  high: number | null
}

export function npsSummary(c: NpsCounts, options: { adjusted?: boolean } = {}): NpsSummary {
  const n = total(c)
  const pct = (k: number) => (n === 0 ? null : (k / n) * 100)
  const interval = npsInterval(c, options)
  return {
    n,
    promoters: c.promoters,
    passives: c.passives,
    detractors: c.detractors,
    promoters_pct: pct(c.promoters),
    passives_pct: pct(c.passives),
    detractors_pct: pct(c.detractors),
    nps: n === 0 ? null : ((c.promoters - c.detractors) / n) * 100,
    low: interval?.low ?? null,
    high: interval?.high ?? null,
  }
}

/** Rounds to one decimal for display; keeps null. `-0` becomes 0. */
export function round1(x: number | null): number | null {
  if (x === null) return null
  // Half away from zero, so −5.25 and +5.25 round alike.
  const r = (Math.sign(x) * Math.round(Math.abs(x) * 10)) / 10
  return r === 0 ? 0 : r
}

/** "+30", "−5.5", "0": how a score reads in a sentence. */
export function signedPoints(x: number): string {
  const r = round1(x)!
  return (r > 0 ? '+' : r < 0 ? '−' : '') + String(Math.abs(r))
}
