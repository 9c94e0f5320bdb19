import { describe, expect, test } from 'vitest'
import { compareNps, describeComparison, normalCdf } from '../../src/nps/compare.js'

describe('comparing two scores', () => {
  test('+21 → +30 on 40 + 40 answers is not significant', () => {
    // A: 16 P, 16 A, 8 D of 40 → p = 0.4, d = 0.2, NPS +20... use round figures:
    // A: 18 P, 13 A, 9 D → p = 0.45, d = 0.225, NPS = +22.5; Var = 0.675 − 0.050625 = 0.624375
    // B: 20 P, 12 A, 8 D → p = 0.5, d = 0.2, NPS = +30; Var = 0.7 − 0.09 = 0.61
    // SE = √(0.624375/40 + 0.61/40) = √0.030859 = 0.175668 → 17.57 points; z = 7.5/17.57 = 0.4269
    const c = compareNps({ promoters: 18, passives: 13, detractors: 9 }, { promoters: 20, passives: 12, detractors: 8 })!
    expect(c.before).toBeCloseTo(22.5, 9)
    expect(c.after).toBeCloseTo(30, 9)
    expect(c.diff).toBeCloseTo(7.5, 9)
    expect(c.se).toBeCloseTo(17.5668, 3)
    expect(c.z).toBeCloseTo(0.4269, 3)
    // p = 2(1 − Φ(0.4269)) = 2 × 0.33473 = 0.6695
    expect(c.pValue).toBeCloseTo(0.6695, 3)
    expect(c.significant).toBe(false)
    expect(describeComparison(c)).toBe('rose from +22.5 to +30 (+7.5 points, 95% interval −26.9 to +41.9): not significant at n = 80 (40 + 40)')
  })

  test('+10 → +40 on 400 + 400 answers is significant', () => {
    // A: 160 P, 120 A, 120 D → p 0.4, d 0.3, NPS +10, Var = 0.7 − 0.01 = 0.69
    // B: 240 P, 80 A, 80 D → p 0.6, d 0.2, NPS +40, Var = 0.8 − 0.16 = 0.64
    // SE = √(0.69/400 + 0.64/400) = √0.003325 = 0.057663 → 5.766 points; z = 30/5.766 = 5.203
    const c = compareNps({ promoters: 160, passives: 120, detractors: 120 }, { promoters: 240, passives: 80, detractors: 80 })!
    expect(c.se).toBeCloseTo(5.7663, 3)
    expect(c.z).toBeCloseTo(5.2026, 3)
    expect(c.significant).toBe(true)
    expect(describeComparison(c)).toBe('rose from +10 to +40 (+30 points, 95% interval +18.7 to +41.3): significant at n = 800 (400 + 400), p = < 0.001')
  })

  test('a fall, worded as a difference between segments', () => {
    const c = compareNps({ promoters: 50, passives: 30, detractors: 20 }, { promoters: 20, passives: 30, detractors: 50 })!
    expect(c.diff).toBeCloseTo(-60, 9)
    expect(describeComparison(c, { versus: 'the rest' })).toMatch(/^lower than the rest: −30 against \+30 \(−60 points, .*\): significant at n = 200 \(100 \+ 100\)/)
    expect(describeComparison(c)).toMatch(/^fell from \+30 to −30/)
  })

  test('one answer each never reads as significant, though the plain SE is 0', () => {
    // Plain: both variances 0. Adjusted: A = (0.75, 1.5, 1.75)/4 → −0.25, Var 0.5625; B mirrors it
    // (+0.25, 0.5625); SE = √(0.5625/4 × 2) = 0.530330 → 53.03 points; z = 50/53.03 = 0.943.
    const c = compareNps({ promoters: 0, passives: 0, detractors: 1 }, { promoters: 1, passives: 0, detractors: 0 })!
    expect(c.diff).toBe(200)
    expect(c.se).toBeCloseTo(53.033, 3)
    expect(c.z).toBeCloseTo(0.9428, 3)
    expect(c.significant).toBe(false)
  })

  test('one promoter against many answers is not "significant" either', () => {
    // Plain: the single answer has Var 0, so SE = √(0.56/5) = 33.5 points and z = 80/33.5 = 2.39.
    // Adjusted: (1.75, 1.5, 0.75)/4 → +0.25, Var 0.5625; rest (2.75, 3.5, 1.75)/8 → +0.125, Var 0.546875;
    // SE = √(0.5625/4 + 0.546875/8) = 0.457148 → 45.71 points; z = 12.5/45.71 = 0.273.
    const c = compareNps({ promoters: 2, passives: 2, detractors: 1 }, { promoters: 1, passives: 0, detractors: 0 })!
    expect(c.diff).toBeCloseTo(80, 9)
    expect(c.se).toBeCloseTo(45.7148, 3)
    expect(c.z).toBeCloseTo(0.2734, 3)
    expect(c.significant).toBe(false)
  })

  test('nothing to compare when a side has no answers', () => {
    expect(compareNps({ promoters: 0, passives: 0, detractors: 0 }, { promoters: 3, passives: 0, detractors: 0 })).toBeNull()
  })

  test('Φ matches the table', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6)
    expect(normalCdf(-1)).toBeCloseTo(0.158655, 6)
  })
})
