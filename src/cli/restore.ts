import { Command } from 'commander'
import { isPostgresUrl, resolveDbPath } from '../db/dbPath.js'
import { redactUrl } from '../db/dbErrors.js'
import { CrmError, UsageError } from '../errors.js'
import { backupDir } from './backupDir.js'
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
    .option('--to <path>', 'restore into this new file (PostgreSQL: a new or empty database URL) instead; the live database is not touched')
    .option('--backups <dir>', 'backup folder (default: backups/ beside the database)')
    .option('--passphrase-file <file>', 'passphrase of an encrypted backup (else $CRM_BACKUP_PASSPHRASE)')
    .addHelpText(
      'after',
      `
Stop other crm processes (cron jobs) first: a restore refuses while one has the database open.
On PostgreSQL the backup is restored into a new database beside the live one, checked, and
swapped in by renaming both in one transaction (PostgreSQL refuses while other sessions are
connected: then nothing changes); the role needs CREATEDB and must own the database.
Example:
  $ crm restore 20261123T020000Z --yes
  $ crm restore 20261123 --to /tmp/crm-as-of-nov-23.db
  $ crm --db postgres://crm@db.example/shop restore 20261123 --to postgres://crm@db.example/shop_nov23`,
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
      const pg = manifest.engine === 'postgres'
      if (pg && !isPostgresUrl(dbPath)) {
        throw new UsageError(`backup ${manifest.id} is a PostgreSQL archive: give the database with --db postgres://…`)
      }
      if (!pg && isPostgresUrl(dbPath)) {
        throw new UsageError(`backup ${manifest.id} is a SQLite backup: restore it with --to FILE, then crm copy --from FILE --to ${redactUrl(dbPath)}`)
      }
      if (opts.to && pg !== isPostgresUrl(opts.to)) {
        throw new UsageError(pg ? '--to: a PostgreSQL backup restores into a postgres:// database (crm copy makes a SQLite file from it)' : '--to: a SQLite backup restores into a file (crm copy moves it to PostgreSQL)')
      }
      const shown = redactUrl(dbPath)
      const what = `backup ${manifest.id} (${manifest.createdAt}, ${manifest.tables.customers ?? 0} customers${manifest.note ? `, "${manifest.note}"` : ''})`
      if (!opts.to && !opts.yes) {
        if (!process.stdin.isTTY) throw new UsageError(`restore replaces ${shown}: add --yes to confirm (stdin is not a terminal)`)
        if (!(await confirm(`Replace ${shown} with ${what}? [y/N] `))) throw new CrmError('restore cancelled; nothing was changed')
      }
      const onStep = testPause(process.env.CRM_TEST_PAUSE_RESTORE)
      const result = pg
        ? await (await import('../backup/index.js')).restorePgBackup(dir, manifest, { url: dbPath, to: opts.to, passphrase, onStep })
        : await restoreBackup(dir, manifest, { dbPath, to: opts.to, passphrase, onStep })
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
