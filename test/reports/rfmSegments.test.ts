import { describe, expect, test } from 'vitest'
import { fmScore, parseRfmSegment, quintileScores, RFM_SEGMENTS, rfmSegment } from '../../src/reports/rfmSegments.js'

describe('quintileScores', () => {
  test('ties share a score and can leave a quintile empty (worked by hand)', () => {
    // sorted: 100 200 200 300 400 500 500 500 900 1000; first index of each value:
    // 100→0 200→1 300→3 400→4 500→5 900→8 1000→9; score = 1 + floor(5 × index / 10)
    const values = [500, 100, 1000, 200, 500, 300, 900, 200, 400, 500]
    expect([...quintileScores(values)]).toEqual([3, 1, 5, 1, 3, 2, 5, 1, 3, 3])
  })

  test('lower is better for recency in days', () => {
    // days desc: 300 200 200 100 50 → indexes 0 1 1 3 4 of 5
    expect([...quintileScores([50, 300, 200, 100, 200], false)]).toEqual([5, 1, 2, 4, 2])
  })

  test('does not depend on row order', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
    const scores = new Map(values.map((v, i) => [v, quintileScores(values)[i]]))
    const reversed = [...values].reverse()
    quintileScores(reversed).forEach((s, i) => expect(s).toBe(scores.get(reversed[i]!)))
  })

  test('all equal: everyone scores 1; one customer scores 1', () => {
    expect([...quintileScores([7, 7, 7])]).toEqual([1, 1, 1])
    expect([...quintileScores([42])]).toEqual([1])
  })

  test('distinct values: five even quintiles', () => {
    expect([...quintileScores([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
  })
})

describe('rfmSegment', () => {
  test('FM is the mean of F and M, halves up', () => {
    expect(fmScore(1, 1)).toBe(1)
    expect(fmScore(1, 2)).toBe(2)
    expect(fmScore(4, 5)).toBe(5)
    expect(fmScore(3, 4)).toBe(4)
  })

  test.each([
    [5, 5, 5, 'champions'],
    [5, 4, 3, 'champions'],
    [4, 5, 5, 'loyal'],
    [3, 4, 4, 'loyal'],
    [5, 2, 3, 'potential loyalists'],
    [5, 1, 1, 'new'],
    [4, 1, 1, 'promising'],
    [3, 3, 3, 'need attention'],
    [3, 1, 2, 'about to sleep'],
    [2, 3, 4, 'at risk'],
    [1, 5, 5, "can't lose"],
    [2, 5, 4, "can't lose"],
    [2, 1, 2, 'hibernating'],
    [1, 1, 2, 'lost'],
  ] as const)('R%i F%i M%i is %s', (r, f, m, name) => {
    expect(rfmSegment(r, f, m)).toBe(name)
  })

  test('the table partitions all 125 score combinations into the 11 segments', () => {
    const seen = new Set<string>()
    for (let r = 1; r <= 5; r++) for (let f = 1; f <= 5; f++) for (let m = 1; m <= 5; m++) seen.add(rfmSegment(r, f, m))
    expect([...seen].sort()).toEqual([...RFM_SEGMENTS].sort())
  })
})

test('parseRfmSegment accepts the ways a person types a name', () => {
  expect(parseRfmSegment("Can't lose")).toBe("can't lose")
  expect(parseRfmSegment('cant-lose')).toBe("can't lose")
  expect(parseRfmSegment('AT_RISK')).toBe('at risk')
  expect(parseRfmSegment('champion')).toBe('champions')
  expect(parseRfmSegment('potential loyalist')).toBe('potential loyalists')
  expect(parseRfmSegment('new customers')).toBeUndefined()
  expect(parseRfmSegment('champs')).toBeUndefined()
})
