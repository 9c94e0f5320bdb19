/**
 * `npm run fuzz [-- --cases N --seed S]`: mutated real import files through importFile();
 * anything but a clean CrmError is a finding (saved under bench/data/fuzz-findings/).
 */
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { fuzzImporter } from './importFuzz.js'

const { values } = parseArgs({ options: { cases: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } } })
const seed = Number(values.seed)
const findingsDir = resolve(import.meta.dirname, '../../bench/data/fuzz-findings')
const r = await fuzzImporter({ seed, cases: Number(values.cases), findingsDir, log: (l) => console.error(l) })
console.log(
  `seed ${seed}: ${r.cases} cases (${(r.bytesTried / 1e6).toFixed(1)} MB of input) in ${r.seconds.toFixed(0)} s: ` +
    `${r.imported} imported, ${r.cleanErrors} clean errors, ${r.findings.length} findings`,
)
for (const f of r.findings) console.log(`- case ${f.case} (${f.fixture}, ${f.mutations.join('+')}): ${f.error.split('\n')[0]!.slice(0, 200)} [${f.savedAs}]`)
process.exitCode = r.findings.length === 0 ? 0 : 1
