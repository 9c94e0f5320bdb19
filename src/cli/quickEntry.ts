import { quickCountRequest } from './quickCountRequest.js'

/**
 * bin/crm.js's first step, dist/bundle/quick.cjs (scripts/bundle.mjs): answers exactly
 * `crm [--db PATH] [-q] query|filter --count` with better-sqlite3 alone, before the command-line
 * parser, Kysely and zod load, which cost a process more than the count itself (issue 18,
 * docs/benchmarks.md).
 * Resolves false, having written nothing, for any other command line and whenever the count
 * cannot be given here; main() then answers as always, and reports any error itself.
 */
export async function quickMain(argv: readonly string[]): Promise<boolean> {
  const request = quickCountRequest(argv.slice(2))
  if (request === undefined) return false
  // Loaded only for that command line: better-sqlite3 stays out of every other command's start.
  const { quickCount } = await import('./quickCount.js')
  try {
    return await quickCount(request)
  } catch {
    return false
  }
}
