/**
 * `npm run stress [-- --runs N --seed S --only import,dedupe]`: kills crm import, dedupe --merge,
 * backup and restore with SIGKILL at seeded random moments, hundreds of times, and checks
 * every time that integrity_check is ok and the database holds all or none of the operation.
 */
import { parseArgs } from 'node:util'
import { runScenario, SCENARIOS, type Scenario } from './crashHarness.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    seed: { type: 'string', default: '20261123' },
    only: { type: 'string' },
    verbose: { type: 'boolean', default: false },
  },
})
const runs = Number(values.runs)
const seed = Number(values.seed)
const scenarios = values.only ? (values.only.split(',') as Scenario[]) : SCENARIOS
let failed = 0
console.log('| command | runs | killed mid-run | finished first | held none | held all | one run (ms) | failures |')
console.log('|---|---|---|---|---|---|---|---|')
for (const scenario of scenarios) {
  const r = await runScenario(scenario, { seed, runs, log: values.verbose ? (l) => console.error(l) : undefined })
  console.log(`| ${scenario} | ${r.runs} | ${r.killed} | ${r.completedBeforeKill} | ${r.heldNone} | ${r.heldAll} | ${r.calibrationMs} | ${r.failures.length} |`)
  for (const f of r.failures) console.error(`${scenario}: ${f}`)
  failed += r.failures.length
}
console.log(`seed ${seed}, ${runs} runs per command: ${failed === 0 ? 'nothing lost, nothing half-applied' : `${failed} FAILURES`}`)
process.exitCode = failed === 0 ? 0 : 1
