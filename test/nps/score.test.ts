import { describe, expect, test } from 'vitest'
import { adjustedCounts, classify, countScores, npsInterval, npsSummary, round1, signedPoints } from '../../src/nps/score.js'

const z = 1.959964

describe('classify and count', () => {
  test('9–10 promote, 7–8 are passive, 0–6 detract', () => {
    expect([0, 6, 7, 8, 9, 10].map(classify)).toEqual(['detractor', 'detractor', 'passive', 'passive', 'promoter', 'promoter'])
    expect(countScores([10, 9, 8, 7, 6, 0, 3])).toEqual({ promoters: 2, passives: 2, detractors: 3 })
  })

  test('a score outside 0–10 or a fraction is not an answer', () => {
    expect(() => classify(11)).toThrow(RangeError)
    expect(() => classify(-1)).toThrow(RangeError)
    expect(() => classify(7.5)).toThrow(RangeError)
  })
})

describe('the score and its 95% interval (Rocks)', () => {
  test('50 promoters, 30 passives, 20 detractors: +30 ± 15.3', () => {
    // By hand: p = 0.5, d = 0.2; Var = 0.5 + 0.2 − 0.3² = 0.61; SE = √(0.61/100) = 0.078102;
    // half-width = 1.96 × 0.078102 × 100 = 15.31 → [+14.7, +45.3].
    const s = npsSummary({ promoters: 50, passives: 30, detractors: 20 })
    expect(s).toMatchObject({ n: 100, promoters_pct: 50, passives_pct: 30, detractors_pct: 20, nps: 30 })
    expect(s.low).toBeCloseTo(30 - z * Math.sqrt(0.61 / 100) * 100, 9)
    expect(round1(s.low)).toBe(14.7)
    expect(round1(s.high)).toBe(45.3)
  })

  test('adjusted Wald: 0.75 promoters, 1.5 passives, 0.75 detractors added', () => {
    // By hand: n' = 103, p' = 50.75/103 = 0.492718, d' = 20.75/103 = 0.201456, p' − d' = 0.291262;
    // Var' = 0.694175 − 0.084834 = 0.609341; SE' = √(0.609341/103) = 0.076915;
    // 1.96 × SE' = 0.150750 → [0.140512, 0.442012] → [+14.05, +44.20].
    // (NOTES.md says +14.0: it rounded the intermediates; the exact low end is 14.051.)
    expect(adjustedCounts({ promoters: 50, passives: 30, detractors: 20 })).toEqual({ promoters: 50.75, passives: 31.5, detractors: 20.75 })
    const i = npsInterval({ promoters: 50, passives: 30, detractors: 20 }, { adjusted: true })!
    expect(i.low).toBeCloseTo(14.051, 2)
    expect(i.high).toBeCloseTo(44.201, 2)
    // The score itself is not adjusted.
    expect(npsSummary({ promoters: 50, passives: 30, detractors: 20 }, { adjusted: true }).nps).toBe(30)
  })

  test('all promoters: +100, and the plain interval collapses to a point while adjusted Wald does not', () => {
    // Plain: p = 1, d = 0, Var = 1 − 1 = 0. Adjusted: n' = 13, p' = 10.75/13, d' = 0.75/13,
    // p' − d' = 10/13 = 0.769231; Var' = 11.5/13 − (10/13)² = 0.884615 − 0.591716 = 0.292899;
    // 1.96 × √(0.292899/13) = 0.294197 → [+47.5, +106.3] → clipped to +100.
    const c = { promoters: 10, passives: 0, detractors: 0 }
    expect(npsSummary(c)).toMatchObject({ n: 10, nps: 100, low: 100, high: 100, promoters_pct: 100, detractors_pct: 0 })
    const adj = npsInterval(c, { adjusted: true })!
    expect(adj.low).toBeCloseTo(47.5, 1)
    expect(adj.high).toBe(100)
  })

  test('all detractors: −100', () => {
    const c = { promoters: 0, passives: 0, detractors: 7 }
    expect(npsSummary(c)).toMatchObject({ n: 7, nps: -100, low: -100, high: -100 })
    const adj = npsInterval(c, { adjusted: true })!
    expect(adj.low).toBe(-100)
    expect(adj.high).toBeGreaterThan(-100)
  })

  test('a single passive: 0, and the adjusted interval is wide', () => {
    // Adjusted: n' = 4, p' = d' = 0.75/4 = 0.1875; Var' = 0.375; 1.96 × √(0.375/4) = 0.600116 → ±60.0.
    const c = { promoters: 0, passives: 1, detractors: 0 }
    expect(npsSummary(c)).toMatchObject({ n: 1, nps: 0, low: 0, high: 0 })
    const adj = npsInterval(c, { adjusted: true })!
    expect(adj.low).toBeCloseTo(-60.01, 1)
    expect(adj.high).toBeCloseTo(60.01, 1)
  })

  test('no answers: n = 0 and no score at all (not zero)', () => {
    expect(npsSummary({ promoters: 0, passives: 0, detractors: 0 })).toEqual({
      n: 0, promoters: 0, passives: 0, detractors: 0, promoters_pct: null, passives_pct: null, detractors_pct: null, nps: null, low: null, high: null,
    })
    expect(npsInterval({ promoters: 0, passives: 0, detractors: 0 }, { adjusted: true })).toBeNull()
  })

  test('signed points for sentences', () => {
    expect([30, -5.56, 5.25, 0, -0.01].map(signedPoints)).toEqual(['+30', '−5.6', '+5.3', '0', '0'])
  })
})
