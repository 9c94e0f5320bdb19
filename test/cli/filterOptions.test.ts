import { Command } from 'commander'
import { describe, expect, test } from 'vitest'
import { addFilterOptions, filterSpecFromOptions, flagsFromSpec, parseGenderFlag, parseMoneyFlag, type FilterOptions } from '../../src/cli/filterOptions.js'
import { UsageError } from '../../src/errors.js'

const usd = { currency: 'USD' }

function parse(args: string[], config = usd) {
  const cmd = addFilterOptions(new Command('t').exitOverride())
  cmd.parse(args, { from: 'user' })
  return filterSpecFromOptions(cmd.opts<FilterOptions>(), config)
}

describe('filter flags', () => {
  test('money flags become cents in the base currency', () => {
    expect(parseMoneyFlag('--spent-gt', '500', 'USD')).toBe(50000)
    expect(parseMoneyFlag('--spent-gt', '499.99', 'USD')).toBe(49999)
    expect(parseMoneyFlag('--spent-gt', '499.9', 'USD')).toBe(49990)
    expect(parseMoneyFlag('--spent-gt', '1,250.50', 'USD')).toBe(125050)
    expect(parseMoneyFlag('--spent-lt', '-20', 'USD')).toBe(-2000)
    expect(parseMoneyFlag('--spent-gt', '5000', 'JPY')).toBe(5000)
    expect(() => parseMoneyFlag('--spent-gt', '12.5', 'JPY')).toThrow(/not an amount in JPY/)
    expect(() => parseMoneyFlag('--spent-gt', '4.999', 'USD')).toThrow(UsageError)
    expect(() => parseMoneyFlag('--spent-gt', 'lots', 'USD')).toThrow('--spent-gt: "lots" is not an amount in USD (e.g. 500 or 499.99)')
  })

  test('gender accepts the common spellings', () => {
    for (const f of ['f', 'F', 'female', 'Woman', 'w', 'Frau']) expect(parseGenderFlag(f)).toBe('f')
    for (const m of ['m', 'Male', 'man', 'Herr']) expect(parseGenderFlag(m)).toBe('m')
    for (const x of ['x', 'other', 'diverse', 'd', 'non-binary']) expect(parseGenderFlag(x)).toBe('x')
    expect(() => parseGenderFlag('q')).toThrow('--gender: "q" is not a gender (use f, m or x)')
  })

  test('every flag lands in the spec', () => {
    const spec = parse([
      '--gender', 'female', '--age-min', '18', '--age-max', '65', '--birthday-within', '7', '--city', 'München',
      '--state', 'Bayern', '--zip', '80', '--country', 'de', '--territory', 'Süd', '--rep', 'Jörg', '--source', 'Google',
      '--tag', 'vip', '--tag', 'newsletter', '--consent', 'email', '--consent', 'post', '--search', 'anna',
      '--since', '2026-01-01', '--until', '2026-06-30', '--spent-gt', '500', '--spent-lt', '999.99', '--orders-gt', '2',
      '--bought', 'Grinder', '--category', 'Machines', '--inactive-days', '30', '--segment', 'big',
    ])
    expect(spec).toEqual({
      gender: 'f', ageMin: 18, ageMax: 65, birthdayWithin: 7, city: 'München', region: 'Bayern', postalCode: '80',
      country: 'DE', territory: 'Süd', rep: 'Jörg', source: 'Google', tags: ['vip', 'newsletter'], consent: ['email', 'mail'],
      search: 'anna', since: '2026-01-01', until: '2026-06-30', spentGt: 50000, spentLt: 99999, ordersGt: 2,
      bought: 'Grinder', category: 'Machines', inactiveDays: 30, segment: 'big',
    })
  })

  test('aliases: --region for --state, --postal-code for --zip', () => {
    expect(parse(['--region', 'NY', '--postal-code', '100'])).toEqual({ region: 'NY', postalCode: '100' })
    expect(() => parse(['--state', 'NY', '--region', 'CA'])).toThrow('--state and --region are the same filter: give one')
  })

  test('bad values are usage errors naming the flag', () => {
    expect(() => parse(['--days', 'thirty'])).toThrow('--days: "thirty" is not a whole number')
    expect(() => parse(['--age-min', '-1'])).toThrow(UsageError)
    expect(() => parse(['--since', '2026-02-30'])).toThrow('--since: "2026-02-30" is not a date (use YYYY-MM-DD)')
    expect(() => parse(['--country', 'Germany'])).toThrow(/--country: "Germany" is not a two-letter country code/)
    expect(() => parse(['--consent', 'pigeon'])).toThrow(/--consent: "pigeon" is not a channel/)
    expect(() => parse(['--days', '30', '--since', '2026-01-01'])).toThrow('--days cannot be combined with --since/--until')
    expect(() => parse(['--since', '2026-02-01', '--until', '2026-01-01'])).toThrow('--since is after --until')
  })

  test('a spec is written back as the flags that make it', () => {
    const flags = flagsFromSpec({ gender: 'f', spentGt: 50000, days: 30, tags: ['vip', 'good customers'], city: 'São Paulo' }, usd)
    expect(flags).toBe("--gender f --city 'São Paulo' --tag vip --tag 'good customers' --days 30 --spent-gt 500.00")
  })
})
