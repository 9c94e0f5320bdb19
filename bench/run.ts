/**
 * `npm run bench [-- NAME …]`: runs the named benchmarks (all when none is named) and
 * prints their figures, to be copied into docs/benchmarks.md with this command.
 * Extra flags after the names go to every benchmark (e.g. --customers 100000).
 */
import { spawnSync } from 'node:child_process'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'

/** Each benchmark is a compiled module in dist/bench exporting a function of its argv. */
const BENCHMARKS: Record<string, { file: string; fn?: string }> = {
  import: { file: 'importBench.js', fn: 'importBench' },
  // Standalone scripts (no exported function) run as a child process with the same flags.
  query: { file: 'queryBench.js' },
  encoding: { file: 'encodingBench.js' },
  nps: { file: 'npsBench.js', fn: 'npsBench' },
  backup: { file: 'backupBench.js', fn: 'backupBench' },
  labels: { file: 'labelsBench.js', fn: 'labelsBench' },
  reports: { file: 'reportsBench.js', fn: 'reportsBench' },
  records: { file: 'recordsBench.js', fn: 'recordsBench' },
  dedupeTraps: { file: 'dedupeTraps.js', fn: 'dedupeTrapsBench' },
  startup: { file: 'startupBench.js', fn: 'startupBench' },
}

const args = process.argv.slice(2)
const names = args.filter((a) => !a.startsWith('--') && BENCHMARKS[a])
const rest = args.filter((a) => !names.includes(a))
for (const name of names.length ? names : Object.keys(BENCHMARKS)) {
  const { file, fn } = BENCHMARKS[name]!
  if (!fn) {
    console.log(`## ${name}  (${new Date().toISOString()})`)
    spawnSync(process.execPath, [join(import.meta.dirname, file), ...rest], { stdio: 'inherit' })
    continue
  }
  const mod = (await import(pathToFileURL(join(import.meta.dirname, file)).href)) as Record<string, (argv: string[]) => string[] | Promise<string[]>>
  console.log(`## ${name}  (${new Date().toISOString()})`)
  for (const line of await mod[fn]!(rest)) console.log(`- ${line}`)
}
