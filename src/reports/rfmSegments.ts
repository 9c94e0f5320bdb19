/**
 * RFM segments: names, the score grid that defines them, and quintile scoring.
 * Pure: no database. The SQL in rfmScores.ts is generated from the same table.
 */

export const RFM_SEGMENTS = [
  'champions',
  'loyal',
  'potential loyalists',
  'new',
  'promising',
  'need attention',
  'about to sleep',
  'at risk',
  "can't lose",
  'hibernating',
  'lost',
] as const
export type RfmSegment = (typeof RFM_SEGMENTS)[number]

/**
 * The segment table: recency score (R) against the frequency–monetary score
 * FM = round((F + M) / 2), halves up, so spend counts as much as order count.
 *
 * Source: the R × F segment grid used by the open-source RFM tutorials and tools derived
 * from Putler's segment table ("RFM Analysis For Successful Customer Segmentation",
 * https://www.putler.com/rfm-analysis/; the same names and ranges appear in the R package
 * rfm, rsquaredacademy/rfm, `rfm_segment()`):
 *   [1-2][1-2] hibernating, [1-2][3-4] at risk, [1-2]5 can't lose, 3[1-2] about to sleep,
 *   33 need attention, [3-4][4-5] loyal, 41 promising, 51 new, [4-5][2-3] potential loyalists,
 *   5[4-5] champions.
 * Changed here: Putler's "lost" (lowest recency and value) is split out of hibernating as
 * R = 1 with FM 1–2, so the 11 names partition all 25 cells and every customer gets one.
 * Rows are [segment, R range, FM range]; the first matching row wins (the ranges do not overlap).
 */
export const RFM_SEGMENT_TABLE: ReadonlyArray<readonly [RfmSegment, readonly [number, number], readonly [number, number]]> = [
  ['champions', [5, 5], [4, 5]],
  ['loyal', [3, 4], [4, 5]],
  ['potential loyalists', [4, 5], [2, 3]],
  ['new', [5, 5], [1, 1]],
  ['promising', [4, 4], [1, 1]],
  ['need attention', [3, 3], [3, 3]],
  ['about to sleep', [3, 3], [1, 2]],
  ["can't lose", [1, 2], [5, 5]],
  ['at risk', [1, 2], [3, 4]],
  ['hibernating', [2, 2], [1, 2]],
  ['lost', [1, 1], [1, 2]],
]

/** The combined frequency–monetary score, 1–5. */
export function fmScore(f: number, m: number): number {
  return Math.floor((f + m + 1) / 2)
}

/** The segment of R, F and M scores (each 1–5). */
export function rfmSegment(r: number, f: number, m: number): RfmSegment {
  const fm = fmScore(f, m)
  for (const [name, [rLo, rHi], [fmLo, fmHi]] of RFM_SEGMENT_TABLE) {
    if (r >= rLo && r <= rHi && fm >= fmLo && fm <= fmHi) return name
  }
  throw new Error(`no RFM segment for R=${r} F=${f} M=${m}`)
}

/**
 * Quintile scores 1–5 by rank, ties kept together: a value scores
 * 1 + floor(5 × (how many values are strictly worse) / n). Equal values always share a
 * score, whatever their order, so the result does not depend on row order; with many ties
 * a quintile can be empty. `higherIsBetter` false for recency in days. The SQL twin is
 * `1 + 5 * (rank() over (order by …) - 1) / n` in rfmScores.ts.
 */
export function quintileScores(values: ArrayLike<number>, higherIsBetter = true): Uint8Array {
  const n = values.length
  const sorted = Float64Array.from(values).sort()
  const scores = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    const v = values[i]!
    // worse: smaller values when higher is better, larger ones otherwise
    const worse = higherIsBetter ? lowerBound(sorted, v) : n - upperBound(sorted, v)
    scores[i] = 1 + Math.floor((5 * worse) / n)
  }
  return scores
}

function lowerBound(sorted: Float64Array, v: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! < v) lo = mid + 1
    else hi = mid
  }
  return lo
}

function upperBound(sorted: Float64Array, v: number): number {
  let lo = 0
  let hi = sorted.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (sorted[mid]! <= v) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** "Can't lose", "cant-lose", "CANT_LOSE" → "can't lose"; undefined when not a segment. */
export function parseRfmSegment(text: string): RfmSegment | undefined {
  // Case, apostrophes, separators and a plural s do not matter.
  const key = (s: string) => s.toLowerCase().replace(/[’']/g, '').replace(/[\s_-]+/g, ' ').trim().replace(/s$/, '')
  const wanted = key(text)
  return RFM_SEGMENTS.find((s) => key(s) === wanted)
}
