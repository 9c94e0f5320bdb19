import { describe, expect, test } from 'vitest'
import { findDuplicateGroups } from '../../src/dedupe/findDuplicateGroups.js'
import { groupPairs } from '../../src/dedupe/groupPairs.js'
import { people } from './people.js'

describe('findDuplicateGroups', () => {
  const base = people()
  const rob = { ...base[0]!, id: 1001, first_name: 'Robert', last_name: 'Nguyễn' }
  const bob = { ...base[0]!, id: 1002, first_name: 'Bob', last_name: 'NGUYEN', email: null, phone: '030 ' + base[0]!.phone!.slice(5) }
  const records = [...base.slice(1), rob, bob, { ...base[5]!, id: 1003, first_name: base[5]!.last_name, last_name: base[5]!.first_name }]
  const result = findDuplicateGroups(records)

  test('finds the nickname + diacritics + phone-format duplicate, with reasons', () => {
    const g = result.groups.find((x) => x.ids.includes(1001))
    expect(g?.ids).toEqual([1001, 1002])
    expect(g!.score).toBeGreaterThan(0.9)
    expect(g!.reasons).toContain('first name Robert ≈ Bob (nickname)')
    expect(g!.reasons).toContain('surname exact')
  })

  test('finds swapped first and last names', () => {
    const g = result.groups.find((x) => x.ids.includes(1003))
    expect(g?.ids).toEqual([6, 1003])
    expect(g!.reasons[0]).toBe('first and last name swapped')
  })

  test('no other groups among distinct people', () => {
    expect(result.groups).toHaveLength(2)
  })

  test('a pair marked "not the same person" is never grouped', () => {
    const again = findDuplicateGroups(records, { distinctPairs: [[1002, 1001]] })
    expect(again.groups.find((x) => x.ids.includes(1001))).toBeUndefined()
  })
})

describe('groupPairs', () => {
  test('a chain of links does not join two records that look like strangers', () => {
    // 0–1 strong, 1–2 strong, but 0 and 2 score far below the guard.
    const weights: Record<string, number> = { '0,1': 20, '1,2': 18, '0,2': -30 }
    const groups = groupPairs(
      [
        { i: 0, j: 1, weight: 20 },
        { i: 1, j: 2, weight: 18 },
      ],
      (i, j) => weights[`${Math.min(i, j)},${Math.max(i, j)}`]!,
      { minWeight: 3, guardWeight: -2 },
    )
    expect(groups.map((g) => g.members)).toEqual([[0, 1]])
  })
  test('a consistent triple stays one group', () => {
    const groups = groupPairs(
      [
        { i: 0, j: 1, weight: 20 },
        { i: 1, j: 2, weight: 18 },
      ],
      () => 5,
      { minWeight: 3, guardWeight: -2 },
    )
    expect(groups.map((g) => g.members)).toEqual([[0, 1, 2]])
  })
})
