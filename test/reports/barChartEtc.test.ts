import { expect, test } from 'vitest'
import { barChart, formatMinor } from '../../src/cli/barChart.js'
import { npsOf, sourceRows } from '../../src/reports/sources.js'

test('bars scale to the largest value, in eighths', () => {
  const out = barChart([{ label: 'a', value: 10 }, { label: 'bb', value: 5 }, { label: 'c', value: 0 }], 20)
  // 20 columns − label 2 − value 2 − 3 spaces = 13 for the bar; 5 of 10 is 6.5 blocks
  expect(out).toBe('a  █████████████ 10\nbb ██████▌        5\nc                 0\n')
})

test('money in minor units', () => {
  expect(formatMinor(123456, 'USD')).toBe('1,234.56')
  expect(formatMinor(1234, 'JPY')).toBe('1,234')
  expect(formatMinor(-50, 'EUR')).toBe('-0.50')
})

test('NPS from counts', () => {
  expect(npsOf(50, 20, 100)).toBe(30)
  expect(npsOf(0, 1, 3)).toBe(-33)
  expect(npsOf(0, 0, 0)).toBeNull()
})

test('source rows: unknown named, average per customer, biggest first', () => {
  const rows = sourceRows([
    { key: '', source: null, customers: 1, buyers: 0, revenue: 0, promoters: 0, detractors: 0, answers: 0 },
    { key: 'google', source: 'Google', customers: 3, buyers: 2, revenue: 1000, promoters: 1, detractors: 1, answers: 3 },
  ])
  expect(rows).toEqual([
    { source: 'Google', customers: 3, buyers: 2, revenue_cents: 1000, avg_spend_cents: 333, nps: 0, nps_answers: 3 },
    { source: '(unknown)', customers: 1, buyers: 0, revenue_cents: 0, avg_spend_cents: 0, nps: null, nps_answers: 0 },
  ])
})
