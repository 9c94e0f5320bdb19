import { describe, expect, test } from 'vitest'
import { bucketWidth } from '../../src/fields/fieldDistribution.js'
import { formatMoney, parseFieldValue, shownValue, type FieldDefinition } from '../../src/fields/fieldValue.js'
import { ParseError } from '../../src/import/parse/dates.js'

const field = (type: FieldDefinition['type'], choices: string[] | null = null): FieldDefinition => ({ id: 1, name: 'f', label: null, type, choices, position: 1 })
const usd = { currency: 'USD' }
const reason = (v: unknown) => (v instanceof ParseError ? v.reason : null)

describe('parseFieldValue', () => {
  test('empty and blank values clear the field', () => {
    for (const t of ['text', 'number', 'money', 'date', 'bool'] as const) {
      expect(parseFieldValue(field(t), '', usd)).toBeNull()
      expect(parseFieldValue(field(t), '   ', usd)).toBeNull()
    }
  })

  test('text keeps what was written and a folded key for matching', () => {
    expect(parseFieldValue(field('text'), '  Ünïcode  Straße ', usd)).toEqual({ value_text: 'Ünïcode  Straße', value_key: 'unicode strasse', value_num: null })
    expect(parseFieldValue(field('text'), 'Нина', usd)).toMatchObject({ value_text: 'Нина', value_key: 'nina' })
  })

  test('numbers: whole, decimal, signed, thousands; not words or two decimal marks', () => {
    expect(parseFieldValue(field('number'), '2', usd)).toMatchObject({ value_num: 2 })
    expect(parseFieldValue(field('number'), '-3.5', usd)).toMatchObject({ value_num: -3.5 })
    expect(parseFieldValue(field('number'), '1,250', usd)).toMatchObject({ value_num: 1250 })
    expect(parseFieldValue(field('number'), '.5', usd)).toMatchObject({ value_num: 0.5 })
    for (const bad of ['two', '1.2.3', '1e5', 'NaN', 'Infinity', '12,34', '1; drop table x']) {
      expect(reason(parseFieldValue(field('number'), bad, usd)), bad).toContain('is not a number')
    }
  })

  test('money: integer minor units of the base currency; another currency is refused', () => {
    expect(parseFieldValue(field('money'), '12.50', usd)).toMatchObject({ value_num: 1250 })
    expect(parseFieldValue(field('money'), '$1,234.5', usd)).toMatchObject({ value_num: 123450 })
    expect(parseFieldValue(field('money'), '1,500', { currency: 'JPY' })).toMatchObject({ value_num: 1500 })
    expect(reason(parseFieldValue(field('money'), '12,50 €', usd))).toBe('"12,50 €" is in EUR; money fields are in the base currency USD')
    expect(reason(parseFieldValue(field('money'), '12.505', usd))).toContain('more decimals')
  })

  test('dates: YYYY-MM-DD; a date without a year or an impossible one is refused', () => {
    expect(parseFieldValue(field('date'), '2024-02-29', usd)).toEqual({ value_text: '2024-02-29', value_key: '2024-02-29', value_num: null })
    expect(parseFieldValue(field('date'), '03/04/2024', { currency: 'USD', dateOrder: 'dmy' })).toMatchObject({ value_text: '2024-04-03' })
    expect(reason(parseFieldValue(field('date'), '2023-02-29', usd))).toContain('no day 29')
    expect(reason(parseFieldValue(field('date'), '--03-25', usd))).toContain('has no year')
  })

  test('bool: yes/no and friends', () => {
    for (const y of ['yes', 'TRUE', 'y', '1', 'x', 'Ja']) expect(parseFieldValue(field('bool'), y, usd)).toMatchObject({ value_num: 1 })
    for (const n of ['no', 'False', 'n', '0', 'off']) expect(parseFieldValue(field('bool'), n, usd)).toMatchObject({ value_num: 0 })
    expect(reason(parseFieldValue(field('bool'), 'maybe', usd))).toContain('is not yes or no')
  })

  test('choice: any case or accent of a listed value stores the listed spelling', () => {
    const f = field('choice', ['Low', 'Middle', 'Ĥigh'])
    expect(parseFieldValue(f, 'HIGH', usd)).toMatchObject({ value_text: 'Ĥigh', value_key: 'high' })
    expect(reason(parseFieldValue(f, 'mid', usd))).toBe('"mid" is not one of Low, Middle, Ĥigh')
  })

  test('shown values: money as decimal text, bool as true/false', () => {
    expect(shownValue(field('money'), { value_text: null, value_num: -5 }, 'USD')).toBe('-0.05')
    expect(formatMoney(123450, 'USD')).toBe('1234.50')
    expect(formatMoney(1500, 'JPY')).toBe('1500')
    expect(shownValue(field('bool'), { value_text: null, value_num: 0 }, 'USD')).toBe(false)
    expect(shownValue(field('number'), undefined, 'USD')).toBeNull()
  })
})

describe('bucketWidth', () => {
  test('1, 2 or 5 × 10ⁿ, at most the asked number of buckets, whole for whole numbers', () => {
    expect(bucketWidth(0, 5, 10)).toBe(1)
    expect(bucketWidth(0, 100, 10)).toBe(20)
    expect(bucketWidth(0, 99, 10)).toBe(10)
    expect(bucketWidth(1000, 250000, 10)).toBe(50000)
    expect(bucketWidth(0.1, 0.9, 10)).toBe(0.1)
    expect(bucketWidth(3, 3, 10)).toBe(1)
  })
})
