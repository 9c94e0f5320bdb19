import { expect, test } from 'vitest'
import { fuzzImporter } from '../../bench/importFuzz.js'

// A few hundred mutated fixtures through importFile(); `npm run fuzz` runs 10,000+.
test('mutated import files fail only with clean errors', { timeout: 240_000 }, async () => {
  const report = await fuzzImporter({ seed: 7, cases: 300 })
  expect(report.findings.map((f) => `${f.fixture} ${f.mutations.join('+')}: ${f.error}`).join('\n\n')).toBe('')
  expect(report.cases).toBe(300)
})

// Fuzz finding (seed 1): a mangled currency column reached ICU and threw RangeError.
test('an amount with a bad currency code is a row error, not a crash', async () => {
  const { parseAmount } = await import('../../src/import/parse/money.js')
  const { ParseError } = await import('../../src/import/parse/dates.js')
  expect(parseAmount('12.50', 'EUR(SOFA')).toBeInstanceOf(ParseError)
  expect(parseAmount('ABC 12.50', 'EUR')).toBeInstanceOf(ParseError)
  expect(parseAmount('12.50', 'EUR')).toEqual({ cents: 1250, currency: null })
})
