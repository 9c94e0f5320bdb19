import { Command, CommanderError } from 'commander'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CrmError } from '../errors.js'
import { commands } from './commands.js'
import { printError } from './messages.js'
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
const version = packageVersion()

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  failure (bad input, missing record, database error); nothing was written
  2  usage error (unknown flag, bad flag value)

Database: --db PATH, else $CRM_DB, else $XDG_DATA_HOME/crm/crm.db (~/.local/share/crm/crm.db).
CRM_DEBUG=1 shows a stack trace for internal errors.`

/** Builds the whole program; exported so the docs test can walk every command. */
export function buildProgram(): Command {
  const program = new Command('crm')
    .description('A customer database for small businesses, in one local file.')
    .version(version, '-V, --version')
    .option('--db <path>', 'database file (or postgres:// URL)')
    .option('-q, --quiet', 'no messages on stderr, only results')
    .showHelpAfterError('(crm --help lists commands and flags)')
    .addHelpText('after', EXIT_CODES_HELP)
  for (const make of commands) program.addCommand(make())
  applyExitOverride(program)
  return program
}

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
  const program = buildProgram()
  try {
    await program.parseAsync(argv)
  } catch (err) {
    process.exitCode = exitCodeFor(err)
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
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
