import { Command } from 'commander'
import { resolveDbPath } from '../db/dbPath.js'
import { CrmError, UsageError } from '../errors.js'
import { backupDir } from './backup.js'
import { globalOptions } from './context.js'
import { say } from './messages.js'

interface RestoreOpts {
  yes?: boolean
  to?: string
  backups?: string
  passphraseFile?: string
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description('replace the database with a backup (verified first; a safety backup of the current one is taken)')
    .argument('<id>', 'backup id or an unambiguous prefix (crm backup list)')
    .option('--yes', 'do not ask (needed when stdin is not a terminal)')
    .option('--to <path>', 'restore into this new file instead; the live database is not touched')
    .option('--backups <dir>', 'backup folder (default: backups/ beside the database)')
    .option('--passphrase-file <file>', 'passphrase of an encrypted backup (else $CRM_BACKUP_PASSPHRASE)')
    .addHelpText(
      'after',
      `
Stop other crm processes (cron jobs) first: a restore refuses while one has the database open.
Example:
  $ crm restore 20261123T020000Z --yes
  $ crm restore 20261123 --to /tmp/crm-as-of-nov-23.db`,
    )
    .action(async (id: string, opts: RestoreOpts, cmd: Command) => {
      const g = globalOptions(cmd)
      const dbPath = resolveDbPath(g.db)
      const { findBackup, readPassphrase, restoreBackup } = await import('../backup/index.js')
      const dir = backupDir(cmd, opts.backups)
      const manifest = findBackup(dir, id)
      const passphrase = readPassphrase(opts.passphraseFile)
      if (manifest.encryption && !passphrase) {
        throw new UsageError(`backup ${manifest.id} is encrypted: set CRM_BACKUP_PASSPHRASE or give --passphrase-file`)
      }
      const what = `backup ${manifest.id} (${manifest.createdAt}, ${manifest.tables.customers ?? 0} customers${manifest.note ? `, "${manifest.note}"` : ''})`
      if (!opts.to && !opts.yes) {
        if (!process.stdin.isTTY) throw new UsageError(`restore replaces ${dbPath}: add --yes to confirm (stdin is not a terminal)`)
        if (!(await confirm(`Replace ${dbPath} with ${what}? [y/N] `))) throw new CrmError('restore cancelled; nothing was changed')
      }
      const result = await restoreBackup(dir, manifest, {
        dbPath,
        to: opts.to,
        passphrase,
        onStep: testPause(process.env.CRM_TEST_PAUSE_RESTORE),
      })
      if (result.safety) say(`safety backup ${result.safety.id} of the previous database taken`)
      if (result.setAside) say(`the previous database could not be backed up (damaged); its bytes were kept in ${result.setAside}`)
      say(`restored ${what} into ${result.target}`)
    })
}

async function confirm(question: string): Promise<boolean> {
  const { createInterface } = await import('node:readline/promises')
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim())
  } finally {
    rl.close()
  }
}

/**
 * For the crash tests only: `CRM_TEST_PAUSE_RESTORE=locked` makes the restore say
 * "paused at locked" on stderr and wait there, so a test can SIGKILL it at that point.
 */
function testPause(at: string | undefined): ((step: string) => Promise<void>) | undefined {
  if (!at) return undefined
  return async (step) => {
    if (step !== at) return
    process.stderr.write(`paused at ${step}\n`)
    await new Promise(() => setInterval(() => {}, 1000))
  }
}
