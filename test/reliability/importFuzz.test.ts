import { expect, test } from 'vitest'
import { fuzzImporter } from '../../bench/importFuzz.js'

// A few hundred mutated fixtures through importFile(); `npm run fuzz` runs 10,000+.
test('mutated import files fail only with clean errors', { timeout: 240_000 }, async () => {
  const report = await fuzzImporter({ seed: 7, cases: 300 })
  expect(report.findings.map((f) => `${f.fixture} ${f.mutations.join('+')}: ${f.error}`).join('\n\n')).toBe('')
  expect(report.cases).toBe(300)
})
