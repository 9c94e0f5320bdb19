import { describe, expect, test } from 'vitest'
import { birthKey, canonicalEmail, houseNumber, nameKey, phoneKey, postalKey, streetKey, streetName } from '../../src/dedupe/normalise.js'

describe('nameKey', () => {
  test.each([
    ['Nguyễn', 'nguyen'],
    ['NGUYEN', 'nguyen'],
    ['Николай', 'nikolay'],
    ["Natal'ya", 'natalya'],
    ["O'Brien", 'obrien'],
    ['Łukasz', 'lukasz'],
    ['Søren', 'soren'],
    ['Weiß', 'weiss'],
    ['Jean-Baptiste', 'jean baptiste'],
    ['  ', ''],
  ])('%s → %s', (input, expected) => expect(nameKey(input)).toBe(expected))
  test('null is empty', () => expect(nameKey(null)).toBe(''))
})

describe('canonicalEmail', () => {
  test('case, Gmail dots, googlemail and +tags', () => {
    expect(canonicalEmail('J.Smith+shop@GoogleMail.com')).toBe('jsmith@gmail.com')
    expect(canonicalEmail('jsmith@gmail.com')).toBe('jsmith@gmail.com')
  })
  test('dots matter outside Gmail; +tags do not', () => {
    expect(canonicalEmail('j.smith+news@example.org')).toBe('j.smith@example.org')
  })
  test('NFKC: full-width letters', () => expect(canonicalEmail('ｊｏｅ@example.com')).toBe('joe@example.com'))
  test('empty and missing', () => {
    expect(canonicalEmail('')).toBeNull()
    expect(canonicalEmail(null)).toBeNull()
  })
})

describe('phoneKey', () => {
  test('prefers E.164', () => expect(phoneKey('+4930123456', '030 123456')).toBe('+4930123456'))
  test('falls back to digits', () => expect(phoneKey(null, '(030) 12-34-56')).toBe('030123456'))
  test('too short is no phone', () => expect(phoneKey(null, '12-34')).toBeNull())
})

describe('streets and postal codes', () => {
  test('abbreviations expand', () => {
    expect(streetKey('12 Main St.')).toBe('12 main street')
    expect(streetKey('12 main street')).toBe('12 main street')
    expect(streetKey('5 Park Ave')).toBe('5 park avenue')
    expect(streetKey('Hauptstr. 5')).toBe('haupt street 5')
    expect(streetKey('Hauptstraße 5')).toBe('haupt street 5')
  })
  test('house number and street name apart', () => {
    expect(houseNumber('12a main street')).toBe('12a')
    expect(houseNumber('main street')).toBeNull()
    expect(streetName('12a main street')).toBe('main street')
  })
  test('postal codes ignore case, spaces and dashes', () => {
    expect(postalKey('sw1a 1aa')).toBe('SW1A1AA')
    expect(postalKey('12345-6789')).toBe('123456789')
    expect(postalKey(' ')).toBeNull()
  })
  test('birth dates as eight digits', () => {
    expect(birthKey('1980-03-07')).toBe('19800307')
    expect(birthKey('1980-03')).toBeNull()
  })
})
