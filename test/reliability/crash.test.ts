import { describe, expect, test } from 'vitest'
import { runScenario, SCENARIOS } from '../../bench/crashHarness.js'

// A few SIGKILLs per command at seeded random moments; `npm run stress` runs hundreds.
// Each run: integrity_check ok, and the database holds all or none of the killed command.
describe('SIGKILL at a random moment leaves all or nothing', () => {
  for (const scenario of SCENARIOS) {
    test(`crm ${scenario}`, { timeout: 180_000 }, async () => {
      const report = await runScenario(scenario, { seed: 11, runs: 3, importRows: 1000, baseRows: 300, pairs: 10 })
      expect(report.failures.join('\n')).toBe('')
      expect(report.runs).toBe(3)
      expect(report.heldNone + report.heldAll).toBe(3)
    })
  }
})
