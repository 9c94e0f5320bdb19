import { describe, expect, test } from 'vitest'
import { parseWhere, whereText } from '../../src/fields/whereGrammar.js'
import { UsageError } from '../../src/errors.js'
import { FilterSpec } from '../../src/query/filterSpec.js'
import { RESERVED_NAMES, checkFieldName } from '../../src/fields/fieldName.js'

describe('parseWhere', () => {
  test.each([
    ['children>=2', { field: 'children', op: '>=', value: '2' }],
    ['  children >= 2  ', { field: 'children', op: '>=', value: '2' }],
    ['income_band=high', { field: 'income_band', op: '=', value: 'high' }],
    ['member_since<2024-01-01', { field: 'member_since', op: '<', value: '2024-01-01' }],
    ['a<=1', { field: 'a', op: '<=', value: '1' }],
    ['a>1', { field: 'a', op: '>', value: '1' }],
    ['a!=x', { field: 'a', op: '!=', value: 'x' }],
    ['a<>x', { field: 'a', op: '!=', value: 'x' }],
    ['a==x', { field: 'a', op: '=', value: 'x' }],
    ['note~new york', { field: 'note', op: '~', value: 'new york' }],
    ['note = "a ""quoted"" word "', { field: 'note', op: '=', value: 'a "quoted" word ' }],
    ["note='O''Brien'", { field: 'note', op: '=', value: "O'Brien" }],
    ['note=O\'Brien', { field: 'note', op: '=', value: "O'Brien" }],
    ['loyalty_no is empty', { field: 'loyalty_no', op: 'is empty' }],
    ['loyalty_no IS NOT EMPTY', { field: 'loyalty_no', op: 'is not empty' }],
    // Hostile text is only ever a value: the field's parser rejects it or it is bound as a parameter.
    ['x=1; drop table customers', { field: 'x', op: '=', value: '1; drop table customers' }],
    ["x=' or 1=1 --'", { field: 'x', op: '=', value: ' or 1=1 --' }],
  ])('%s', (input, expected) => {
    expect(parseWhere(input)).toEqual(expected)
  })

  test.each([
    ['', 'expected a field name first'],
    ['=2', 'expected a field name first'],
    ['1abc=2', 'expected a field name first'],
    ['children', 'expected an operator after "children"'],
    ['children 2', 'expected an operator after "children"'],
    ['income band=high', 'expected an operator after "income"'],
    ['"children"=2', 'expected a field name first'],
    ['children>=', 'no value after >='],
    ['children>=   ', 'no value after >='],
    ['note="open', 'the quoted value has no closing quote'],
    ['note="a" b', 'text after the closing quote'],
    ['children; drop table x', 'expected an operator'],
    ['x is maybe empty', 'expected an operator'],
  ])('rejects %j', (input, reason) => {
    let err: unknown
    try {
      parseWhere(input)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(UsageError)
    expect((err as UsageError).exitCode).toBe(2)
    expect((err as Error).message).toContain(reason)
  })

  test('whereText writes back what parseWhere reads', () => {
    for (const t of ['children>=2', 'loyalty_no is empty', 'note~new york', 'note="a ""b"""', 'x=1; drop table y']) {
      const c = parseWhere(t)
      expect(parseWhere(whereText(c))).toEqual(c)
    }
  })
})

describe('field names', () => {
  test('letters, digits and _, a letter first, at most 40', () => {
    expect(checkFieldName('income_band')).toBe('income_band')
    expect(checkFieldName('A1')).toBe('A1')
    for (const bad of ['1x', '_x', 'a-b', 'a b', 'x;drop', 'é', 'a'.repeat(41), '']) expect(() => checkFieldName(bad)).toThrow(UsageError)
  })

  test('no built-in field or filter name, whatever the case', () => {
    for (const taken of ['city', 'CITY', 'Email', 'tags', 'spent_cents', 'age_min', 'where']) expect(() => checkFieldName(taken)).toThrow(/built-in/)
  })

  test('every shared filter flag is reserved (FilterSpec keys in snake_case)', () => {
    const keys = Object.keys(FilterSpec.shape).filter((k) => k !== 'fieldFilters').map((k) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase()))
    for (const k of keys) expect(RESERVED_NAMES.has(k), k).toBe(true)
  })
})
