import { describe, expect, test } from 'vitest'
import {
  compareBirthDates,
  compareCodes,
  compareEmails,
  compareGivenNames,
  comparePhones,
  compareSuffixes,
  compareSurnames,
  compareText,
  namesSwapped,
  withinOneEdit,
} from '../../src/dedupe/comparators.js'
import { areNicknames } from '../../src/dedupe/nicknameIndex.js'
import { prepareRecord } from '../../src/dedupe/prepareRecord.js'

const person = (first: string, last: string) =>
  prepareRecord({ id: 1, first_name: first, last_name: last, email: null, phone: null, phone_e164: null, birth_date: null, street: null, city: null, region: null, postal_code: null })

describe('nicknames', () => {
  test.each([
    ['rob', 'robert'],
    ['bob', 'robert'],
    ['bill', 'william'],
    ['peggy', 'margaret'],
    ['sasha', 'aleksandr'],
    ['sasha', 'aleksandra'],
    ['kolya', 'nikolay'],
    ['paco', 'francisco'],
  ])('%s ≈ %s, both ways', (a, b) => {
    expect(areNicknames(a, b)).toBe(true)
    expect(areNicknames(b, a)).toBe(true)
  })
  test('never chained: two formal names sharing a nickname stay apart', () => {
    expect(areNicknames('aleksandr', 'aleksandra')).toBe(false)
    expect(areNicknames('robert', 'albert')).toBe(false) // both ≈ bert
    expect(areNicknames('robert', 'william')).toBe(false)
  })
  test('Cyrillic names meet their Latin nicknames after folding', () => {
    expect(compareGivenNames(person('Коля', 'x').first, person('Nikolai', 'x').first)).toBe(1)
  })
})

describe('compareGivenNames', () => {
  test('levels', () => {
    expect(compareGivenNames('robert', 'robert')).toBe(0)
    expect(compareGivenNames('rob', 'robert')).toBe(1)
    expect(compareGivenNames('robert', 'robret')).toBe(3)
    expect(compareGivenNames('maria', 'maria jose')).toBe(3)
    expect(compareGivenNames('philippa', 'filippa')).toBe(4) // the same sound
    expect(compareGivenNames('r', 'robert')).toBe(5)
    expect(compareGivenNames('robert', 'susan')).toBe(7)
    expect(compareGivenNames('', 'susan')).toBe(-1)
  })
  test('a Persian name in Arabic script and in Latin letters: transliteration', () => {
    expect(compareGivenNames(person('محمد', 'x').first, person('Mohammad', 'x').first, undefined, undefined, 1)).toBe(2)
    expect(compareGivenNames(person('زهرا', 'x').first, person('Zahra', 'x').first, undefined, undefined, 1)).toBe(2)
    expect(compareSurnames(person('x', 'رضایی').last, person('x', 'Rezaei').last, undefined, undefined, 1)).toBe(2)
    // Without vowels, hmyd and mhdy (Hamid, Mehdi) look alike: they are other names.
    expect(compareGivenNames(person('حمید', 'x').first, person('مهدی', 'x').first, undefined, undefined, 2)).toBe(7)
    expect(compareGivenNames(person('زهرا', 'x').first, person('Maryam', 'x').first, undefined, undefined, 1)).toBe(7)
  })
  test('one word of a multi-word given name replaced: other people (Văn An, Văn Nam; Ji-woo, Ji-hoon)', () => {
    expect(compareGivenNames(person('Văn An', 'x').first, person('Văn Nam', 'x').first)).toBe(7)
    expect(compareGivenNames(person('Văn Bình', 'x').first, person('Văn Minh', 'x').first)).toBe(7)
    expect(compareGivenNames(person('Ji-woo', 'x').first, person('Ji-hoon', 'x').first)).toBe(7)
    expect(compareGivenNames(person('Min-jun', 'x').first, person('Minjun', 'x').first)).toBe(3)
  })
  test('close but with another first letter, or merely alike: Ahmad and Mohammad differ', () => {
    expect(compareGivenNames('ahmad', 'mohammad')).toBe(7)
  })
})

describe('generation suffixes', () => {
  test('Jr. and Sr. come off the surname and are compared on their own', () => {
    const jr = person('John', 'García Jr.')
    const sr = person('John', 'Garcia Sr')
    expect([jr.last, jr.suffix]).toEqual(['garcia', 'jr'])
    expect([sr.last, sr.suffix]).toEqual(['garcia', 'sr'])
    expect(compareSuffixes(jr.suffix, sr.suffix)).toBe(1)
    expect(compareSuffixes(jr.suffix, person('John', 'García').suffix)).toBe(-1)
    expect(person('Junior', 'Silva').first).toBe('junior')
    expect(person('Henry', 'Ford III').suffix).toBe('iii')
  })
})

describe('compareSurnames', () => {
  test('levels', () => {
    expect(compareSurnames('nguyen', 'nguyen')).toBe(0)
    expect(compareSurnames('wilkins', 'wilikns')).toBe(2)
    expect(compareSurnames('smith', 'smyth')).toBe(2)
    expect(compareSurnames('garcia', 'garcia lopez')).toBe(3)
    expect(compareSurnames('smith', 'jones')).toBe(4)
  })
})

describe('compareBirthDates', () => {
  test('exact, day/month swapped, one digit, one part, differs, missing', () => {
    expect(compareBirthDates('19800307', '19800307')).toBe(0)
    expect(compareBirthDates('19800307', '19800703')).toBe(1)
    expect(compareBirthDates('19800307', '19800308')).toBe(2)
    expect(compareBirthDates('19800307', '19800325')).toBe(3)
    expect(compareBirthDates('19800307', '19801120')).toBe(4)
    expect(compareBirthDates('19800307', '19751120')).toBe(5)
    expect(compareBirthDates('19800307', '19770307')).toBe(3) // one part: another year, close
    expect(compareBirthDates('19520115', '19710115')).toBe(6) // a father and son born on one day
    expect(compareBirthDates('19800307', '19951120')).toBe(6) // 15 years: a generation
    expect(compareBirthDates(null, '19751120')).toBe(-1)
  })
})

describe('emails, phones, text, codes', () => {
  test('emails', () => {
    expect(compareEmails('ann@x.com', 'ann@x.com')).toBe(0)
    expect(compareEmails('annie.b@x.com', 'annie.b@y.org')).toBe(1)
    expect(compareEmails('ann@x.com', 'bob@x.com')).toBe(2)
  })
  test('phones: the same number written with and without the country code', () => {
    expect(comparePhones('+15550100200', '+15550100200')).toBe(0)
    expect(comparePhones('+15550100200', '5550100200')).toBe(1)
    expect(comparePhones('+15550100200', '+15550999999')).toBe(2)
  })
  test('text and codes', () => {
    expect(compareText('main street', 'main streat')).toBe(1)
    expect(compareText('main street', 'oak lane')).toBe(2)
    expect(compareCodes('2615', '2651')).toBe(1)
    expect(compareCodes('2615', '3000')).toBe(2)
  })
  test('withinOneEdit: insert, delete, substitute, transpose', () => {
    expect(withinOneEdit('abcd', 'abd')).toBe(true)
    expect(withinOneEdit('abcd', 'abxd')).toBe(true)
    expect(withinOneEdit('abcd', 'abdc')).toBe(true)
    expect(withinOneEdit('abcd', 'badc')).toBe(false)
    expect(withinOneEdit('abcd', 'ab')).toBe(false)
  })
})

describe('namesSwapped', () => {
  test('first and last name the other way round', () => {
    expect(namesSwapped(person('Tiana', 'Luchetti'), person('Luchetti', 'Tiana'))).toBe(true)
    expect(namesSwapped(person('Tiana', 'Luchetti'), person('Tiana', 'Lucheti'))).toBe(false)
  })
})
