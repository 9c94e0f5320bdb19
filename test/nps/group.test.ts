import { describe, expect, test } from 'vitest'
import { answerWindow, previousAnswerWindow } from '../../src/nps/answerWindow.js'
import { groupCounts, latestPerCustomer, orderGroups, periodKeyer, periodOf, periodsBetween, type ScoredAnswer } from '../../src/nps/group.js'

const a = (id: number, customerId: number | null, score: number, answeredAt: string): ScoredAnswer => ({ id, customerId, score, answeredAt })

describe('latest answer per customer', () => {
  test("each customer's latest answer counts; anonymous answers all count", () => {
    const answers = [
      a(1, 7, 2, '2026-03-01T10:00:00.000Z'),
      a(2, 8, 10, '2026-03-02T10:00:00.000Z'),
      a(3, 7, 9, '2026-04-01T10:00:00.000Z'), // customer 7 changed their mind: only this counts
      a(4, null, 0, '2026-04-02T10:00:00.000Z'),
      a(5, null, 0, '2026-04-02T10:00:00.000Z'),
      a(6, 8, 4, '2026-03-02T10:00:00.000Z'), // same instant as answer 2: the later id wins
    ]
    expect(latestPerCustomer(answers).map((x) => x.id)).toEqual([3, 4, 5, 6])
  })

  test('within each group: a customer answering monthly counts once a month', () => {
    const answers = [a(1, 7, 2, '2026-03-01T10:00:00Z'), a(2, 7, 10, '2026-03-20T10:00:00Z'), a(3, 7, 9, '2026-04-01T10:00:00Z')]
    const byMonth = (x: ScoredAnswer) => [periodOf(x.answeredAt, 'month', 'UTC')]
    expect(Object.fromEntries(groupCounts(answers, byMonth, false))).toEqual({
      '2026-03': { promoters: 1, passives: 0, detractors: 0 },
      '2026-04': { promoters: 1, passives: 0, detractors: 0 },
    })
    expect(groupCounts(answers, byMonth, true).get('2026-03')).toEqual({ promoters: 1, passives: 0, detractors: 1 })
  })
})

describe('periods in the shop time zone, across year ends', () => {
  test('New Year in New York is still December in UTC terms until 05:00', () => {
    const t = '2026-01-01T03:00:00.000Z' // 22:00 on 31 December in New York
    expect(periodOf(t, 'month', 'America/New_York')).toBe('2025-12')
    expect(periodOf(t, 'quarter', 'America/New_York')).toBe('2025-Q4')
    expect(periodOf(t, 'year', 'America/New_York')).toBe('2025')
    expect(periodOf(t, 'month', 'UTC')).toBe('2026-01')
    expect(periodOf('2025-12-31T15:30:00.000Z', 'quarter', 'Asia/Tokyo')).toBe('2026-Q1')
  })

  test('ranges run over year ends without gaps', () => {
    expect(periodsBetween('2025-11', '2026-02', 'month')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02'])
    expect(periodsBetween('2025-Q3', '2026-Q2', 'quarter')).toEqual(['2025-Q3', '2025-Q4', '2026-Q1', '2026-Q2'])
    expect(periodsBetween('2024', '2026', 'year')).toEqual(['2024', '2025', '2026'])
  })

  test('a trend lists empty periods between answers, in time order', () => {
    const counts = new Map([
      ['2026-01', { promoters: 1, passives: 0, detractors: 0 }],
      ['2025-11', { promoters: 0, passives: 0, detractors: 2 }],
    ])
    const rows = orderGroups(counts, 'month')
    expect(rows.map((r) => [r.key, r.counts.detractors + r.counts.promoters])).toEqual([['2025-11', 2], ['2025-12', 0], ['2026-01', 1]])
    expect(orderGroups(counts, 'month', { first: '2025-10', last: '2026-01' }).map((r) => r.key)).toEqual(['2025-10', '2025-11', '2025-12', '2026-01'])
    expect(orderGroups(new Map(), 'month')).toEqual([])
  })

  test('segments: most answers first, "(none)" last', () => {
    const c = (n: number) => ({ promoters: n, passives: 0, detractors: 0 })
    const rows = orderGroups(new Map([['(none)', c(9)], ['web', c(2)], ['ads', c(2)], ['friend', c(5)]]), 'source')
    expect(rows.map((r) => r.key)).toEqual(['friend', 'ads', 'web', '(none)'])
  })
})

describe('answer windows', () => {
  const ctx = { now: new Date('2026-11-23T12:00:00Z'), timeZone: 'America/New_York' }

  test('--answered-days 30 starts at local midnight 30 days back and the one before is as long', () => {
    const w = answerWindow({ days: 30 }, ctx)
    expect(w).toEqual({ from: '2026-10-24T04:00:00.000Z', to: '2026-11-23T12:00:00.001Z', label: '2026-10-24..2026-11-23' })
    const p = previousAnswerWindow({ days: 30 }, ctx)
    // 30 days before 24 October, and New York left daylight time on 1 November: 04:00Z then 05:00Z.
    expect(p).toEqual({ from: '2026-09-24T04:00:00.000Z', to: '2026-10-24T04:00:00.000Z', label: '2026-09-24..2026-10-23' })
  })

  test('since/until are whole local days; the window before a month is the 31 days before it', () => {
    const spec = { since: '2026-12-01', until: '2026-12-31' }
    expect(answerWindow(spec, ctx)).toEqual({ from: '2026-12-01T05:00:00.000Z', to: '2027-01-01T05:00:00.000Z', label: '2026-12-01..2026-12-31' })
    expect(previousAnswerWindow(spec, ctx).label).toBe('2026-10-31..2026-11-30')
    expect(answerWindow({}, ctx)).toEqual({ from: null, to: null, label: 'all time' })
    expect(answerWindow({ since: '2026-11-01' }, ctx)).toEqual({ from: '2026-11-01T04:00:00.000Z', to: null, label: '2026-11-01..2026-11-23' })
    expect(() => previousAnswerWindow({ until: '2026-01-01' }, ctx)).toThrow(/needs a window with a start/)
  })
})

describe('periodKeyer: the same periods as periodOf, without a time-zone lookup per answer', () => {
  test.each(['UTC', 'America/New_York', 'Asia/Kolkata', 'Australia/Lord_Howe', 'America/Santiago'])('%s', (tz) => {
    for (const by of ['month', 'quarter', 'year'] as const) {
      const keyOf = periodKeyer(by, tz, '2024-12-25T00:00:00.000Z', '2026-04-02T00:00:00.000Z')
      // Every 97 minutes across the range, over year ends and DST changes.
      for (let t = Date.parse('2024-12-25T00:00:00.000Z'); t <= Date.parse('2026-04-02T00:00:00.000Z'); t += 97 * 60_000) {
        const iso = new Date(t).toISOString()
        if (keyOf(iso) !== periodOf(iso, by, tz)) expect(`${by} ${iso}: ${keyOf(iso)}`).toBe(periodOf(iso, by, tz))
      }
    }
  })
})
