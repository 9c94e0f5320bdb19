import { describe, expect, test } from 'vitest'
import { periodIndex, periodLabel, periodsBetween, periodStart } from '../../src/reports/periods.js'

describe('periodStart and periodLabel', () => {
  test.each([
    ['2026-12-31', 'day', '2026-12-31', '2026-12-31'],
    ['2026-12-31', 'week', '2026-12-28', '2026-W53'],
    ['2027-01-03', 'week', '2026-12-28', '2026-W53'],
    ['2027-01-04', 'week', '2027-01-04', '2027-W01'],
    ['2025-12-31', 'week', '2025-12-29', '2026-W01'],
    ['2026-11-23', 'week', '2026-11-23', '2026-W48'],
    ['2026-12-31', 'month', '2026-12-01', '2026-12'],
    ['2026-12-31', 'quarter', '2026-10-01', '2026-Q4'],
    ['2027-02-14', 'quarter', '2027-01-01', '2027-Q1'],
    ['2026-12-31', 'year', '2026-01-01', '2026'],
  ] as const)('%s by %s starts %s, labelled %s', (date, kind, start, label) => {
    expect(periodStart(date, kind)).toBe(start)
    expect(periodLabel(start, kind)).toBe(label)
  })
})

describe('periodsBetween in the shop time zone', () => {
  test('a year end in Berlin: 23:30 UTC on 31 December is already January', () => {
    const months = periodsBetween(new Date('2026-12-15T12:00:00Z'), new Date('2026-12-31T23:30:00Z'), 'month', 'Europe/Berlin')
    expect(months.map((p) => p.label)).toEqual(['2026-12', '2027-01'])
    expect(months[1]).toEqual({ label: '2027-01', start: '2027-01-01', from: '2026-12-31T23:00:00.000Z', to: '2027-01-31T23:00:00.000Z' })
    expect(months[periodIndex(months, '2026-12-31T22:59:59.999Z')]!.label).toBe('2026-12')
    expect(months[periodIndex(months, '2026-12-31T23:00:00.000Z')]!.label).toBe('2027-01')
  })

  test('the spring DST change in Berlin: 29 March 2026 lasts 23 hours', () => {
    const days = periodsBetween(new Date('2026-03-28T12:00:00Z'), new Date('2026-03-30T12:00:00Z'), 'day', 'Europe/Berlin')
    expect(days.map((d) => [d.label, d.from, d.to])).toEqual([
      ['2026-03-28', '2026-03-27T23:00:00.000Z', '2026-03-28T23:00:00.000Z'],
      ['2026-03-29', '2026-03-28T23:00:00.000Z', '2026-03-29T22:00:00.000Z'],
      ['2026-03-30', '2026-03-29T22:00:00.000Z', '2026-03-30T22:00:00.000Z'],
    ])
    // 22:30 UTC on the 29th is 00:30 on the 30th in Berlin (it would be the 29th in winter time).
    expect(days[periodIndex(days, '2026-03-29T22:30:00.000Z')]!.label).toBe('2026-03-30')
  })

  test('the autumn DST change in New York: 1 November 2026 lasts 25 hours', () => {
    const days = periodsBetween(new Date('2026-11-01T12:00:00Z'), new Date('2026-11-01T12:00:00Z'), 'day', 'America/New_York')
    expect(days).toEqual([{ label: '2026-11-01', start: '2026-11-01', from: '2026-11-01T04:00:00.000Z', to: '2026-11-02T05:00:00.000Z' }])
  })

  test('weeks run Monday to Monday across New Year', () => {
    const weeks = periodsBetween(new Date('2026-12-24T12:00:00Z'), new Date('2027-01-05T12:00:00Z'), 'week', 'UTC')
    expect(weeks.map((w) => `${w.label} ${w.start}`)).toEqual(['2026-W52 2026-12-21', '2026-W53 2026-12-28', '2027-W01 2027-01-04'])
  })

  test('outside every period: -1', () => {
    const years = periodsBetween(new Date('2026-06-01T00:00:00Z'), new Date('2026-06-01T00:00:00Z'), 'year', 'UTC')
    expect(periodIndex(years, '2025-12-31T23:59:59.999Z')).toBe(-1)
    expect(periodIndex(years, '2027-01-01T00:00:00.000Z')).toBe(-1)
    expect(periodIndex(years, '2026-12-31T23:59:59.999Z')).toBe(0)
  })
})
