import { describe, expect, test } from 'vitest'
import { phoneToE164 } from '../../src/import/parse/fields.js'

// phoneToE164 remembers its answers per (default country, text): a remembered answer must
// never leak from one country to another.
describe('phoneToE164 remembered answers', () => {
  test('the same digits under different default countries give each country its own answer', () => {
    const cases: Array<[string, string, string | null]> = [
      ['030 1234567', 'DE', '+49301234567'],
      ['030 1234567', 'US', null], // not a valid US number: never +10301234567
      ['(416) 531-1036', 'US', '+14165311036'],
      ['(416) 531-1036', 'VN', null],
      ['(416) 531-1036', 'DE', '+494165311036'], // a valid number in Germany too
      ['0612345678', 'FR', '+33612345678'],
      ['0612345678', 'NL', '+31612345678'],
      ['+49 (0) 211 3278378', 'US', '+492113278378'], // the trunk (0) is not part of the number
      ['+44 (0)20 7946 0958', 'DE', '+442079460958'],
      ['+1 (416) 531-1036', 'DE', '+14165311036'],
    ]
    for (let round = 0; round < 3; round++) {
      for (const [text, country, expected] of cases) expect(phoneToE164(text, country), `${text} in ${country}, round ${round}`).toBe(expected)
    }
  })

  test('a number with its country code reads the same whatever the default country', () => {
    for (const country of ['US', 'DE', 'VN', 'US']) expect(phoneToE164('+49 30 1234567', country)).toBe('+49301234567')
  })

  test('past the memo size, answers stay right', () => {
    for (let i = 0; i < 12_000; i++) {
      const national = `030 ${String(1_000_000 + i)}`
      expect(phoneToE164(national, i % 2 ? 'DE' : 'US')).toBe(i % 2 ? `+4930${1_000_000 + i}` : null)
    }
  })
})
