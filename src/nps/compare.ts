import { adjustedCounts, npsMoments, signedPoints, total, Z95, type NpsCounts } from './score.js'

/** Whether two scores differ by more than noise: B − A with a two-sided z test. */
export interface NpsComparison {
  /** Score of A and of B, in points. */
  before: number
  after: number
  /** B − A, in points, and its 95% interval. */
  diff: number
  diffLow: number
  diffHigh: number
  /** Standard error of the difference, in points. */
  se: number
  z: number
  /** Two-sided p-value. */
  pValue: number
  significant: boolean
  nA: number
  nB: number
}

/**
 * Compares two independent samples: SE = √(VarA/nA + VarB/nB), z = (NPS_B − NPS_A)/SE.
 * With `adjusted` the test and the interval use the adjusted-Wald counts (centre and
 * variance, as for one score); `diff` stays the plain change. When either side's plain
 * variance is 0 (a single answer, or all promoters) the adjusted counts are used anyway:
 * that side would otherwise add no uncertainty, and one answer against fifty could be
 * called "significant".
 * Null when either side has no answers.
 */
export function compareNps(a: NpsCounts, b: NpsCounts, options: { adjusted?: boolean } = {}): NpsComparison | null {
  const ma = npsMoments(a)
  const mb = npsMoments(b)
  if (!ma || !mb) return null
  const diff = (mb.nps - ma.nps) * 100
  const degenerate = ma.variance === 0 || mb.variance === 0
  const test = testStatistic(a, b, Boolean(options.adjusted) || degenerate)
  const z = test.centre / test.se
  const pValue = 2 * (1 - normalCdf(Math.abs(z)))
  return {
    before: ma.nps * 100,
    after: mb.nps * 100,
    diff,
    diffLow: Math.max(-200, test.centre - Z95 * test.se),
    diffHigh: Math.min(200, test.centre + Z95 * test.se),
    se: test.se,
    z,
    pValue,
    significant: pValue < 0.05,
    nA: total(a),
    nB: total(b),
  }
}

/** The difference the test is centred on and its standard error, in points. */
function testStatistic(a: NpsCounts, b: NpsCounts, adjusted: boolean): { centre: number; se: number } {
  const ma = npsMoments(adjusted ? adjustedCounts(a) : a)!
  const mb = npsMoments(adjusted ? adjustedCounts(b) : b)!
  return { centre: (mb.nps - ma.nps) * 100, se: Math.sqrt(ma.variance / ma.n + mb.variance / mb.n) * 100 }
}

/** Φ(x), the standard normal CDF (Abramowitz & Stegun 7.1.26, error below 1.5e-7). */
export function normalCdf(x: number): number {
  const t = 1 / (1 + 0.3275911 * (Math.abs(x) / Math.SQRT2))
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  const erf = 1 - poly * Math.exp(-(x * x) / 2)
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2
}

/**
 * One sentence a person can act on:
 * "rose from +21 to +30 (+9 points, 95% interval −8 to +26): not significant at n = 80 (40 + 40)".
 * `versus` words it as a difference between segments instead of a change over time.
 */
export function describeComparison(c: NpsComparison, options: { versus?: string } = {}): string {
  const range = `95% interval ${signedPoints(c.diffLow)} to ${signedPoints(c.diffHigh)}`
  const diff = `${signedPoints(c.diff)} points, ${range}`
  const n = `n = ${c.nA + c.nB} (${c.nA} + ${c.nB})`
  const verdict = c.significant ? `significant at ${n}, p = ${formatP(c.pValue)}` : `not significant at ${n}`
  if (options.versus !== undefined) {
    // Words first: a CSV cell starting with + would be neutralised as a formula.
    const side = c.diff > 0 ? 'higher than' : c.diff < 0 ? 'lower than' : 'same as'
    return `${side} ${options.versus}: ${signedPoints(c.after)} against ${signedPoints(c.before)} (${diff}): ${verdict}`
  }
  const verb = c.diff > 0 ? 'rose' : c.diff < 0 ? 'fell' : 'unchanged'
  const what = verb === 'unchanged' ? `unchanged at ${signedPoints(c.after)}` : `${verb} from ${signedPoints(c.before)} to ${signedPoints(c.after)}`
  return `${what} (${diff}): ${verdict}`
}

function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3)
}
