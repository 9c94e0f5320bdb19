import { describe, expect, test } from 'vitest'
import { generateTraps, TRAP_KINDS } from '../../bench/generateTraps.js'

// The trap benchmark (issue 17) is only worth its figures if its list is the same every run
// and holds every trap kind, in the scripts and with the gaps real lists have.
describe('the trap generator', () => {
  const { rows } = generateTraps(2000, 5)
  const kindOf = (externalId: string) => externalId.split('.')[0]!
  const personOf = (externalId: string) => externalId.split('.').slice(0, 3).join('.')

  test('is seeded: the same seed gives the same rows, another seed other rows', () => {
    expect(generateTraps(2000, 5).rows).toEqual(rows)
    expect(generateTraps(2000, 6).rows).not.toEqual(rows)
  })

  test('holds every trap kind, each with people entered twice and people entered once', () => {
    for (const kind of TRAP_KINDS) {
      const ofKind = rows.filter((r) => kindOf(r.external_id) === kind)
      const copies = new Map<string, number>()
      for (const r of ofKind) copies.set(personOf(r.external_id), (copies.get(personOf(r.external_id)) ?? 0) + 1)
      expect(ofKind.length, kind).toBeGreaterThan(50)
      expect([...copies.values()].some((n) => n > 1), `${kind}: a duplicate`).toBe(true)
      expect([...copies.values()].some((n) => n === 1), `${kind}: a person entered once`).toBe(true)
    }
  })

  test('writes names in Latin, Cyrillic, Arabic script and Vietnamese letters, and leaves fields empty', () => {
    const names = rows.map((r) => `${r.first_name} ${r.last_name}`)
    expect(names.some((n) => /\p{Script=Cyrillic}/u.test(n))).toBe(true)
    expect(names.some((n) => /\p{Script=Arabic}/u.test(n))).toBe(true)
    expect(names.some((n) => /[ễịơư]/u.test(n))).toBe(true)
    expect(rows.some((r) => r.birth_date === '')).toBe(true)
    expect(rows.some((r) => r.email === '')).toBe(true)
  })

  test('a typo keeps a name in its own script (no Latin letter inside an Arabic or Cyrillic name)', () => {
    for (const r of rows) {
      for (const name of [r.first_name, r.last_name]) {
        if (/\p{Script=Arabic}|\p{Script=Cyrillic}/u.test(name)) expect(name, r.external_id).not.toMatch(/[A-Za-z]/)
      }
    }
  })
})
