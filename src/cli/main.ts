import type { Command } from 'commander'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CrmError } from '../errors.js'
import { commands, type CommandEntry } from './commands.js'
import { printError } from './messages.js'
import { quickCountRequest } from './quickCountRequest.js'
import { packageRoot } from '../paths.js'

/** The package's version, from the package.json at its root. */
function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { version?: string }
    return pkg.version ?? 'unknown'
  } catch {
    return 'unknown'
  }
}

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  failure (bad input, missing record, database error); nothing was written
  2  usage error (unknown flag, bad flag value)

Database: --db PATH, else $CRM_DB, else $XDG_DATA_HOME/crm/crm.db (~/.local/share/crm/crm.db).
CRM_DEBUG=1 shows a stack trace for internal errors.`

/** What `crm --help` shows for a command that was not loaded: the name, alias and usage its entry states. */
const entryTerm = (e: CommandEntry) => `${e.name}${e.alias ? `|${e.alias}` : ''}${e.usage ? ` ${e.usage}` : ''}`

/**
 * Builds the program with `load` commands fully loaded (their flags, subcommands and
 * actions) and every other command as a placeholder that only lists itself in `crm --help`.
 * Exported so the docs test can build it with every command loaded.
 */
export async function buildProgram(load: (e: CommandEntry) => boolean = () => true): Promise<Command> {
  // Loaded here, not at the top: `crm --version` answers without it.
  const { Command, Help } = await import('commander')
  const program = new Command('crm')
    .description('A customer database for small businesses, in one local file.')
    .version(packageVersion(), '-V, --version')
    .option('--db <path>', 'database file (or postgres:// URL)')
    .option('-q, --quiet', 'no messages on stderr, only results')
    .showHelpAfterError('(crm --help lists commands and flags)')
    .addHelpText('after', EXIT_CODES_HELP)
  const placeholders = new Map<Command, CommandEntry>()
  for (const entry of commands) {
    if (load(entry)) {
      program.addCommand(await entry.load())
      continue
    }
    const stub = new Command(entry.name).description(entry.description)
    if (entry.alias) stub.alias(entry.alias)
    placeholders.set(stub, entry)
    program.addCommand(stub)
  }
  const help = new Help()
  program.configureHelp({
    subcommandTerm: (cmd) => {
      const entry = placeholders.get(cmd)
      return entry ? entryTerm(entry) : help.subcommandTerm(cmd)
    },
  })
  applyExitOverride(program)
  return program
}

/**
 * The command line's command: the first word that is not a global flag (or its value).
 * `crm help NAME` names NAME. Undefined for `crm`, `crm --help`, `crm --version`.
 */
export function commandNamed(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!
    if (a === '--db') i++
    else if (!a.startsWith('-')) return a === 'help' && args[i + 1] !== undefined ? args[i + 1] : a
  }
  return undefined
}

const isVersionOnly = (args: readonly string[]) => args.length === 1 && (args[0] === '--version' || args[0] === '-V')

// Every command, however deep, throws instead of exiting so one handler picks the code.
function applyExitOverride(cmd: Command): void {
  cmd.exitOverride()
  for (const sub of cmd.commands) applyExitOverride(sub)
}

export async function main(argv: string[]): Promise<void> {
  // `crm query | head`: the reader went away. That is not an error worth a stack trace;
  // every write is one transaction, so stopping here leaves the database whole.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0)
    throw err
  })
  const args = argv.slice(2)
  // The version alone needs no command-line parser: as fast as Node itself starts.
  if (isVersionOnly(args)) {
    process.stdout.write(`${packageVersion()}\n`)
    return
  }
  const named = commandNamed(args)
  try {
    const quick = quickCountRequest(args)
    // Loaded only for that command line: better-sqlite3 stays out of --version and --help.
    if (quick && (await (await import('./quickCount.js')).quickCount(quick))) return
    const program = await buildProgram((e) => named !== undefined && (e.name === named || e.alias === named))
    await program.parseAsync(argv)
  } catch (err) {
    process.exitCode = exitCodeFor(err)
  }
}

/** commander's errors (CommanderError, InvalidArgumentError) all carry a `commander.*` code. */
function isCommanderError(err: unknown): err is { code: string; exitCode: number } {
  const code = (err as { code?: unknown } | null)?.code
  return typeof code === 'string' && code.startsWith('commander.')
}

function exitCodeFor(err: unknown): number {
  if (isCommanderError(err)) {
    // Help and version "errors" are successes; commander already printed the message.
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return 0
    if (err.exitCode === 0) return 0
    return 2
  }
  if (err instanceof CrmError) {
    printError(err.message)
    if (process.env.CRM_DEBUG && err.cause) console.error((err.cause as Error).stack ?? err.cause)
    return err.exitCode
  }
  const e = err as Error
  printError(
    `internal error: ${e?.message ?? String(err)}${process.env.CRM_DEBUG ? `\n${e?.stack ?? ''}` : ' (CRM_DEBUG=1 shows details)'}`,
  )
  return 1
}
