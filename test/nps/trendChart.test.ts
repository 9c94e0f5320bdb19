import { describe, expect, test } from 'vitest'
import { sparkline, trendChart } from '../../src/cli/npsChart.js'

describe('the trend chart shown under --by month on a terminal', () => {
  test('bars grow left for negative scores, right for positive; empty periods stay blank', () => {
    const chart = trendChart(
      [
        { label: '2026-09', n: 12, nps: -40 },
        { label: '2026-10', n: 0, nps: null },
        { label: '2026-11', n: 44, nps: 30 },
        { label: '2026-12', n: 50, nps: 100 },
      ],
      10,
    )
    expect(chart.split('\n')).toEqual([
      '2026-09        ████│               −40  n=12',
      '2026-10            │                 —  n=0',
      '2026-11            │███            +30  n=44',
      '2026-12            │██████████    +100  n=50',
      // −40 → (60/200)·8 = 2.4 → step 2 (▃); +30 → 5.2 → step 5 (▆); +100 → the top step.
      'trend ▃ ▆█  (−40 → +100)',
      '',
    ])
  })

  test('the sparkline maps −100…+100 onto eight steps', () => {
    expect(sparkline([-100, -50, 0, 49, 100].map((nps) => ({ label: '', n: 1, nps })))).toBe('▁▃▅▆█')
    expect(trendChart([])).toBe('')
  })
})
