import { describe, expect, test } from 'vitest'
import { compareGivenNames, compareSurnames, GIVEN_NAME_COMMON, GIVEN_NAME_DIFFERS } from '../../src/dedupe/comparators.js'
import { GivenNameCounts } from '../../src/dedupe/nameFrequency.js'
import { prepareRecord } from '../../src/dedupe/prepareRecord.js'

const key = (first: string) =>
  prepareRecord({ id: 1, first_name: first, last_name: 'x', email: null, phone: null, phone_e164: null, birth_date: null, street: null, city: null, region: null, postal_code: null }).first

/** Given-name counts of a list holding each name `times` times. */
const counts = (names: Array<[string, number]>) => new GivenNameCounts(names.flatMap(([name, times]) => Array.from({ length: times }, () => ({ first: key(name) }))))

describe('given names by how common they are in the list', () => {
  const list = counts([
    ['Thị Lan', 8],
    ['Thị Loan', 7],
    ['Minh Hùng', 6],
    ['Minh Hương', 6],
    ['Seo-yeon', 6],
    ['Seo-yoon', 5],
    ['Sung-min', 9],
    ['مریم', 9],
    ['Mohammad', 20],
    ['Mohammed', 15],
  ])
  test('two spellings both common are two names: Lan and Loan, Hùng and Hương, Seo-yeon and Seo-yoon', () => {
    expect(compareGivenNames(key('Thị Lan'), key('Thị Loan'), undefined, undefined, 0, list)).toBe(GIVEN_NAME_COMMON)
    expect(compareGivenNames(key('Minh Hùng'), key('Minh Hương'), undefined, undefined, 0, list)).toBe(GIVEN_NAME_COMMON)
    expect(compareGivenNames(key('Seo-yeon'), key('Seo-yoon'), undefined, undefined, 0, list)).toBe(GIVEN_NAME_COMMON)
    // Without the list's counts they are a typo of one another.
    expect(compareGivenNames(key('Thị Lan'), key('Thị Loan'))).toBe(3)
  })
  test('a rare spelling one letter from a common one is a slip of it, even of a word\'s first letter or in Arabic script', () => {
    expect(compareGivenNames(key('Sung-min'), key('Sung-oin'), undefined, undefined, 0, list)).toBe(3)
    expect(compareGivenNames(key('Sung-min'), key('Sung-oin'))).toBe(GIVEN_NAME_DIFFERS)
    expect(compareGivenNames(key('مریم'), key('میرم'), undefined, undefined, 2, list)).toBe(3)
    expect(compareGivenNames(key('مریم'), key('میرم'), undefined, undefined, 2)).toBe(GIVEN_NAME_DIFFERS)
  })
  test('Persian Latin spellings of one name are one name, however common both are', () => {
    expect(compareGivenNames('mohammad', 'mohammed', undefined, undefined, 0, list)).toBe(2)
    expect(compareGivenNames('hossein', 'hosein')).toBe(2)
    expect(compareGivenNames('fatemeh', 'fatima')).toBe(2)
  })
})

describe('surname romanisations', () => {
  test('Korean: Lee, Yi and Rhee; Park and Pak; Choi and Choe are one family name', () => {
    expect(compareSurnames('lee', 'yi')).toBe(1)
    expect(compareSurnames('rhee', 'lee')).toBe(1)
    expect(compareSurnames('park', 'pak')).toBe(1)
    expect(compareSurnames('choi', 'choe')).toBe(1)
    expect(compareSurnames('kim', 'park')).toBe(4)
  })
  test('Persian: Hosseini and Husseini', () => {
    expect(compareSurnames('hosseini', 'husseini')).toBe(1)
  })
})
