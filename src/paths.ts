import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Where this code runs from, which decides where its other files are:
 * - `source`: the .ts files, imported by the test runner;
 * - `dist`: tsc's output, one file per module under dist/src (workers, bench);
 * - `bundle`: dist/bundle/crm.cjs, the CLI in a few CommonJS files for a fast start. There every module
 *   shares the bundle's URL, so nothing may find a file relative to its own module.
 */
const here = fileURLToPath(import.meta.url)
export const runningFrom: 'source' | 'dist' | 'bundle' = here.endsWith('.ts')
  ? 'source'
  : here.includes(`${path.sep}dist${path.sep}bundle${path.sep}`)
    ? 'bundle'
    : 'dist'

/** The package's root folder: the nearest one above this module holding crm's package.json. */
export const packageRoot: string = findRoot(path.dirname(here))

function findRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'bin', 'crm.js'))) return dir
    if (path.dirname(dir) === dir) return path.resolve(from, '../..')
  }
}

/** The migrations folder for the code that is running: .ts sources, dist/migrations or the bundle's copy. */
export const migrationsDir: string =
  runningFrom === 'source'
    ? path.join(packageRoot, 'migrations')
    : runningFrom === 'bundle'
      ? path.join(packageRoot, 'dist', 'bundle', 'migrations')
      : path.join(packageRoot, 'dist', 'migrations')

/**
 * A worker's compiled file, e.g. `workerFile('import/validationWorker.js')`; null when running
 * from the .ts sources, where no compiled worker exists and the work runs inline.
 * Workers always load tsc's dist/src tree: they start once per command, off the hot path.
 */
export function workerFile(relative: string): URL | null {
  if (runningFrom === 'source') return null
  return pathToFileURL(path.join(packageRoot, 'dist', 'src', relative))
}
