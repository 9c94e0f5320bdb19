/** The command line `crm [--db PATH] [-q] query|filter --count`, taken apart. */
export interface QuickCountRequest {
  db?: string
  quiet: boolean
}

/**
 * `crm [--db PATH] [-q] query|filter --count` and nothing else: the one command line
 * quickCount.ts may answer without the parser. Anything more (a filter, another flag, a
 * flag spelt another way) is left to commander.
 */
export function quickCountRequest(args: readonly string[]): QuickCountRequest | undefined {
  const request: QuickCountRequest = { quiet: false }
  let i = 0
  for (; i < args.length; i++) {
    const a = args[i]!
    if (a === '--db' && i + 1 < args.length && !args[i + 1]!.startsWith('-')) request.db = args[++i]
    else if (a === '-q' || a === '--quiet') request.quiet = true
    else break
  }
  const rest = args.slice(i)
  return rest.length === 2 && (rest[0] === 'query' || rest[0] === 'filter') && rest[1] === '--count' ? request : undefined
}
