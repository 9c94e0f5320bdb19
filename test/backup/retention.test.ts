import { describe, expect, test } from 'vitest'
import { decideRetention, isoWeek, type BackupStamp, type RetentionPolicy } from '../../src/backup/retention.js'

/** A fake clock: one backup a day at 02:00 UTC from `first` for `days` days. */
function dailyBackups(first: string, days: number): BackupStamp[] {
  const start = Date.parse(`${first}T02:00:00Z`)
  return Array.from({ length: days }, (_, i) => {
    const at = new Date(start + i * 86_400_000).toISOString()
    return { id: at.slice(0, 10), createdAt: at, verified: false }
  })
}

const policy: RetentionPolicy = { last: 3, daily: 7, weekly: 4, monthly: 6 }

// Worked by hand for 2025 (Dec 31 is a Wednesday; ISO weeks start on Monday):
// daily 7 → Dec 25–31; weekly 4 → Dec 31 (week 1 of 2026), Dec 28, Dec 21, Dec 14;
// monthly 6 → Dec 31, Nov 30, Oct 31, Sep 30, Aug 31, Jul 31; last 3 ⊂ daily.
const expectedAfterYear = [
  '2025-12-31', '2025-12-30', '2025-12-29', '2025-12-28', '2025-12-27', '2025-12-26', '2025-12-25',
  '2025-12-21', '2025-12-14', '2025-11-30', '2025-10-31', '2025-09-30', '2025-08-31', '2025-07-31',
]

describe('decideRetention', () => {
  test('a year of daily backups keeps exactly the expected set', () => {
    const d = decideRetention(dailyBackups('2025-01-01', 365), policy)
    expect(d.keep.map((k) => k.id)).toEqual(expectedAfterYear)
    expect(d.remove).toHaveLength(365 - expectedAfterYear.length)
    expect(d.keep.find((k) => k.id === '2025-12-31')!.reasons).toEqual(['last', 'daily 2025-12-31', 'weekly 2026-W01', 'monthly 2025-12'])
    expect(d.keep.find((k) => k.id === '2025-12-28')!.reasons).toEqual(['daily 2025-12-28', 'weekly 2025-W52'])
  })

  test('pruning after every nightly backup for a year (fake clock) ends with the same set', () => {
    let kept: BackupStamp[] = []
    for (const b of dailyBackups('2025-01-01', 365)) {
      kept.push(b)
      const d = decideRetention(kept, policy)
      kept = kept.filter((k) => !d.remove.includes(k.id))
      // Never more than the policy allows: 3 + 7 + 4 + 6 at most.
      expect(kept.length).toBeLessThanOrEqual(20)
    }
    expect(kept.map((k) => k.id).sort().reverse()).toEqual(expectedAfterYear)
  })

  test('several backups a day: daily keeps the newest of each day', () => {
    const stamps: BackupStamp[] = [
      { id: 'a', createdAt: '2026-03-02T08:00:00.000Z', verified: false },
      { id: 'b', createdAt: '2026-03-02T20:00:00.000Z', verified: false },
      { id: 'c', createdAt: '2026-03-01T23:59:59.000Z', verified: false },
      { id: 'd', createdAt: '2026-03-01T00:00:00.000Z', verified: false },
    ]
    const d = decideRetention(stamps, { last: 0, daily: 2, weekly: 0, monthly: 0 })
    expect(d.keep.map((k) => k.id)).toEqual(['b', 'c'])
    expect(d.remove).toEqual(['a', 'd'])
  })

  test('the newest verified backup is kept whatever the policy says', () => {
    const stamps = dailyBackups('2026-01-01', 30).map((b) => ({ ...b, verified: b.id === '2026-01-10' || b.id === '2026-01-05' }))
    const d = decideRetention(stamps, { last: 2, daily: 0, weekly: 0, monthly: 0 })
    expect(d.keep.map((k) => k.id)).toEqual(['2026-01-30', '2026-01-29', '2026-01-10'])
    expect(d.keep[2]!.reasons).toEqual(['newest verified'])
    expect(d.remove).toContain('2026-01-05')
  })

  test('fewer backups than the policy allows: all kept', () => {
    const d = decideRetention(dailyBackups('2026-05-01', 3), { last: 0, daily: 7, weekly: 0, monthly: 0 })
    expect(d.remove).toEqual([])
    expect(decideRetention([], policy)).toEqual({ keep: [], remove: [] })
  })
})

describe('isoWeek', () => {
  test.each([
    ['2025-12-28', '2025-W52'], // Sunday
    ['2025-12-29', '2026-W01'], // Monday of the week holding Jan 1 2026 (a Thursday)
    ['2021-01-03', '2020-W53'],
    ['2024-12-30', '2025-W01'],
    ['2026-06-15', '2026-W25'],
  ])('%s is in %s', (day, week) => {
    expect(isoWeek(new Date(`${day}T12:00:00Z`))).toBe(week)
  })
})
