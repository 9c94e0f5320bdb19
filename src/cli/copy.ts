import { Command, Option } from 'commander'
import { globalOptions } from './context.js'
import { say, writeOut } from './messages.js'

export function copyCommand(): Command {
  return new Command('copy')
    .description('copy a whole database into a new one: a SQLite file into PostgreSQL, or back')
    .requiredOption('--from <db>', 'the database to read: a file path or postgres://user@host:port/db')
    .requiredOption('--to <db>', 'the new, empty database to write (created if a file; the PostgreSQL database must exist)')
    .addOption(new Option('--format <format>', 'what to print on stdout').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Everything is written in one transaction and checked before the commit: the row count and a
checksum of every table must match the source, or nothing is written.

Example:
  $ crm copy --from ~/.local/share/crm/crm.db --to postgres://crm@db.example.com:5432/crm
  $ crm copy --from postgres://crm@localhost/crm --to backup.db --format json`,
    )
    .action(async (opts: { from: string; to: string; format: 'text' | 'json' }, cmd: Command) => {
      globalOptions(cmd)
      const { copyDatabase } = await import('../db/copyDatabase.js')
      const summary = await copyDatabase(opts.from, opts.to)
      const rows = summary.tables.reduce((n, t) => n + t.rows, 0)
      say(`copied ${rows} rows in ${summary.tables.length} tables from ${summary.from} to ${summary.to}, verified, in ${summary.seconds} s`)
      if (opts.format === 'json') await writeOut(JSON.stringify(summary, null, 2) + '\n')
      else await writeOut(summary.tables.map((t) => `${t.table}\t${t.rows}\t${t.checksum}`).join('\n') + '\n')
    })
}
