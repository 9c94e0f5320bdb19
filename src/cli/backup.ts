import { Command, InvalidArgumentError, Option } from 'commander'
import { isPostgresUrl, resolveDbPath } from '../db/dbPath.js'
import { CrmError, UsageError } from '../errors.js'
import { backupDir } from './backupDir.js'
import { globalOptions, withDb } from './context.js'
import { say } from './messages.js'
import { formatOption, resolveFormat, writeRows, type Row } from './output.js'

interface CreateOpts {
  to?: string
  note?: string
  encrypt?: boolean
  passphraseFile?: string
  format?: string
}

function count(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number (0 or more)')
  return Number(value)
}

const backupsOption = () =>
  new Option('--backups <dir>', 'backup folder (default: backups/ beside the database; PostgreSQL: $XDG_DATA_HOME/crm/backups/HOST-PORT-DB)')
const passphraseFileOption = () =>
  new Option('--passphrase-file <file>', 'read the passphrase from the first line of FILE (else $CRM_BACKUP_PASSPHRASE)')

export function backupCommand(): Command {
  const cmd = new Command('backup')
    .description('take a consistent, checked, compressed backup of the database (list, verify, prune them)')
    .addHelpText(
      'after',
      `
\`crm backup\` alone runs \`crm backup create\`: prints the new backup's id on stdout
(--format json: its manifest). Backup files are mode 0600 in a 0700 folder.
On PostgreSQL (--db postgres://…) a backup is a pg_dump custom-format archive, kept in
$XDG_DATA_HOME/crm/backups/HOST-PORT-DB/ unless --to says; pg_dump and pg_restore must be
on PATH (apt install postgresql-client), of the server's major version or newer.
Example:
  $ crm backup --note "before the spring import"
  $ CRM_BACKUP_PASSPHRASE=... crm backup --encrypt --to /mnt/usb/crm-backups
  $ crm backup list
  $ crm backup verify --all
  $ crm backup prune --keep-last 3 --keep-daily 7 --keep-weekly 4 --keep-monthly 12
  $ crm --db postgres://crm@db.example.com/shop backup --note "before the spring import"`,
    )

  // The default subcommand, so `crm backup list --format csv` and `crm backup --format
  // json` each get their own --format (commander gives a parent's options precedence).
  cmd
    .command('create', { isDefault: true })
    .description('take a backup now (the default: `crm backup` alone)')
    .option('--to <dir>', 'backup folder (default: backups/ beside the database, mode 0700; PostgreSQL: see above)')
    .option('--note <text>', 'a note stored with the backup and shown by list')
    .option('--encrypt', 'encrypt with AES-256-GCM (passphrase from $CRM_BACKUP_PASSPHRASE or --passphrase-file)')
    .addOption(passphraseFileOption())
    .addOption(new Option('--format <format>', 'text (the id) or json (the manifest and path)').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExample:\n  $ crm backup --note "nightly"\n  $ crm backup create --to /mnt/usb/crm-backups --format json')
    .action(async (opts: CreateOpts, self: Command) => {
      if (opts.passphraseFile && !opts.encrypt) throw new UsageError('--passphrase-file needs --encrypt')
      const { createBackup, readPassphrase } = await import('../backup/index.js')
      const passphrase = opts.encrypt ? readPassphrase(opts.passphraseFile) : undefined
      if (opts.encrypt && !passphrase) {
        throw new UsageError('--encrypt needs a passphrase: set CRM_BACKUP_PASSPHRASE or give --passphrase-file')
      }
      await withDb(
        self,
        async ({ crm }) => {
          const options = { dir: opts.to, note: opts.note ?? null, passphrase }
          const made =
            crm.kind === 'postgres'
              ? await (await import('../backup/index.js')).createPgBackup(crm.url, options)
              : await createBackup({ path: crm.path }, options)
          const customers = made.tables.customers ?? 0
          say(`backup ${made.id}: ${made.path} (${formatBytes(made.fileBytes)}, ${customers} customers${made.encryption ? ', encrypted' : ''})`)
          if (opts.format === 'json') process.stdout.write(JSON.stringify(made, null, 2) + '\n')
          else process.stdout.write(made.id + '\n')
        },
        // Read-only: a backup never migrates or creates the database it copies.
        { readonly: true },
      )
    })

  cmd
    .command('list')
    .description('list backups, newest first')
    .addOption(backupsOption())
    .addOption(formatOption())
    .addHelpText('after', '\nColumns: id, time, kind (manual|safety), note, size (bytes), customers, verified, encrypted.\nExample:\n  $ crm backup list\n  $ crm backup list --format json')
    .action(async (opts: { backups?: string; format?: string }, sub: Command) => {
      const { listManifests } = await import('../backup/index.js')
      const rows: Row[] = listManifests(backupDir(sub, opts.backups)).map((m) => ({
        id: m.id,
        time: m.createdAt,
        kind: m.kind,
        note: m.note ?? '',
        size: m.fileBytes,
        customers: m.tables.customers ?? 0,
        verified: m.verified ? (m.verified.ok ? `ok ${m.verified.at}` : `FAILED ${m.verified.at}`) : 'no',
        encrypted: m.encryption ? 'yes' : 'no',
      }))
      await writeRows(rows, {
        format: resolveFormat(opts.format),
        fields: ['id', 'time', 'kind', 'note', 'size', 'customers', 'verified', 'encrypted'],
      })
    })

  cmd
    .command('verify')
    .description('check backups: checksum, decryption, decompression, quick_check, row counts (PostgreSQL: pg_restore into a scratch database)')
    .argument('[id]', 'backup id or an unambiguous prefix (default: the newest)')
    .option('--all', 'verify every backup')
    .option('--full', 'integrity_check and foreign_key_check instead of quick_check (slow on large files)')
    .addOption(backupsOption())
    .addOption(passphraseFileOption())
    .addHelpText(
      'after',
      '\nPrints "ID ok" or "ID FAILED: reason" per backup on stdout; exit 1 if any failed.\n' +
        'A PostgreSQL backup is checked by pg_restore --list and a restore into a scratch database\n' +
        '(created and dropped on the --db server; the role needs CREATEDB); --full changes nothing there.\nExample:\n  $ crm backup verify\n  $ crm backup verify 20261123 --full\n  $ crm backup verify --all')
    .action(async (id: string | undefined, opts: { all?: boolean; full?: boolean; backups?: string; passphraseFile?: string }, sub: Command) => {
      if (id && opts.all) throw new UsageError('give an id or --all, not both')
      const { findBackup, listManifests, readPassphrase, verifyBackup } = await import('../backup/index.js')
      const dir = backupDir(sub, opts.backups)
      const all = listManifests(dir)
      if (all.length === 0) throw new CrmError(`no backups in ${dir}`)
      const targets = opts.all ? all : [id ? findBackup(dir, id) : all[0]!]
      const server = resolveDbPath(globalOptions(sub).db)
      if (targets.some((m) => m.engine === 'postgres') && !isPostgresUrl(server)) {
        throw new UsageError('verifying a PostgreSQL backup restores it into a scratch database: give the server with --db postgres://…')
      }
      const passphrase = readPassphrase(opts.passphraseFile)
      const locked = targets.find((m) => m.encryption)
      if (locked && !passphrase) {
        throw new UsageError(`backup ${locked.id} is encrypted: set CRM_BACKUP_PASSPHRASE or give --passphrase-file`)
      }
      let failed = 0
      for (const m of targets) {
        const r =
          m.engine === 'postgres'
            ? await (await import('../backup/index.js')).verifyPgBackup(dir, m, { passphrase, server })
            : await verifyBackup(dir, m, { passphrase, full: opts.full })
        if (!r.ok) failed++
        process.stdout.write(r.ok ? `${r.id} ok\n` : `${r.id} FAILED: ${r.error}\n`)
      }
      if (failed > 0) throw new CrmError(`${failed} of ${targets.length} backup${targets.length === 1 ? '' : 's'} failed verification`)
      say(`${targets.length} backup${targets.length === 1 ? '' : 's'} verified`)
    })

  cmd
    .command('prune')
    .description('delete old backups by retention rules (restic/borg style); never the newest verified one')
    .option('--keep-last <n>', 'keep the N newest backups', count, 0)
    .option('--keep-daily <n>', 'keep the newest backup of each of the last N days that have one (UTC)', count, 0)
    .option('--keep-weekly <n>', 'keep the newest of each of the last N ISO weeks', count, 0)
    .option('--keep-monthly <n>', 'keep the newest of each of the last N months', count, 0)
    .option('--dry-run', 'show what would be deleted, delete nothing')
    .addOption(backupsOption())
    .addOption(formatOption())
    .addHelpText(
      'after',
      '\nPrints one row per backup with its action (keep|remove) and the rules that keep it.\nExample:\n  $ crm backup prune --keep-daily 7 --keep-weekly 4 --keep-monthly 12 --dry-run',
    )
    .action(async (opts: { keepLast: number; keepDaily: number; keepWeekly: number; keepMonthly: number; dryRun?: boolean; backups?: string; format?: string }, sub: Command) => {
      const policy = { last: opts.keepLast, daily: opts.keepDaily, weekly: opts.keepWeekly, monthly: opts.keepMonthly }
      if (Object.values(policy).every((n) => n === 0)) {
        throw new UsageError('say what to keep: --keep-last, --keep-daily, --keep-weekly or --keep-monthly')
      }
      const { pruneBackups } = await import('../backup/index.js')
      const dir = backupDir(sub, opts.backups)
      const result = await pruneBackups(dir, policy, { dryRun: opts.dryRun })
      const rows: Row[] = [
        ...result.kept.map((k) => ({ id: k.manifest.id, time: k.manifest.createdAt, action: 'keep', reasons: k.reasons.join(', ') })),
        ...result.removed.map((m) => ({ id: m.id, time: m.createdAt, action: 'remove', reasons: '' })),
      ].sort((a, b) => (a.time < b.time ? 1 : -1))
      await writeRows(rows, { format: resolveFormat(opts.format), fields: ['id', 'time', 'action', 'reasons'] })
      const verb = opts.dryRun ? 'would remove' : 'removed'
      say(`${verb} ${result.removed.length} backup${result.removed.length === 1 ? '' : 's'}, kept ${result.kept.length}` +
        (result.leftovers.length ? `; ${verb} ${result.leftovers.length} leftover file(s) of interrupted runs` : ''))
    })
  return cmd
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = n / 1024
  let i = 0
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024
    i++
  }
  return `${v.toFixed(1)} ${units[i]}`
}
