import { Command, Option } from 'commander'
import { UsageError } from '../errors.js'
import { withDb } from './context.js'
import { addFilterOptions, filterSpecFromOptions, type FilterOptions } from './filterOptions.js'
import { say, writeOut } from './messages.js'

const FORMATS = ['csv', 'json', 'ndjson', 'vcard'] as const
type ExportFormat = (typeof FORMATS)[number]

interface ExportFlags extends FilterOptions {
  format?: ExportFormat
  fields?: string
  raw?: boolean
  includeOptedOut?: boolean
  person?: string
}

export function exportCommand(): Command {
  const cmd = new Command('export')
    .description('export customers (CSV, JSON, NDJSON, vCard 4.0), or everything held about one person')
    .addOption(new Option('--format <format>', 'csv (default), json, ndjson or vcard').choices(FORMATS))
    .option('--fields <list>', 'CSV/JSON columns, comma-separated (default: the columns crm import reads)')
    .option('--raw', 'CSV: write every value exactly (no formula neutralising); for re-import and backups')
    .option('--include-opted-out', 'include people who refused contact (for non-marketing use only)')
    .option('--person <customer>', 'subject access: everything held about one person, as JSON')
  addFilterOptions(cmd)
  return cmd
    .addHelpText(
      'after',
      `
An export is a list leaving the program, so it honours refusals: without --consent CHANNEL,
everyone who refused contact on any channel is left out (and counted on stderr); with
--consent email, only those who may get email (granted). --include-opted-out is the
explicit override for non-marketing use. Erased customers are never exported.
CSV cells starting with = + - @ tab or CR are prefixed with ' so spreadsheets do not run
them as formulas (numbers and phone numbers stay as they are); --raw writes values exactly.

Example:
  $ crm export --consent email --format csv > newsletter.csv
  $ crm export --city Berlin --format vcard > berlin.vcf
  $ crm export --raw --include-opted-out > everyone.csv
  $ crm export --person ana@example.com > ana.json`,
    )
    .action(async (flags: ExportFlags, command: Command) => {
      await withDb(command, async ({ crm, config }) => {
        const { isoNow, now } = await import('../clock.js')
        if (flags.person !== undefined) {
          const used = Object.keys(flags).filter((k) => k !== 'person' && k !== 'format')
          if (used.length || (flags.format && flags.format !== 'json')) throw new UsageError('--person writes one JSON document; it takes no filter, --fields or --format')
          const { resolveCustomer } = await import('../customers/findCustomer.js')
          const { personData } = await import('../privacy/personData.js')
          const customer = await resolveCustomer(crm.db, flags.person, { allowForgotten: true })
          await writeOut(JSON.stringify(await personData(crm.db, customer, isoNow(), config.currency), null, 2) + '\n')
          return
        }
        const spec = filterSpecFromOptions(flags, config)
        if (flags.includeOptedOut && spec.consent?.length) {
          throw new UsageError('--consent and --include-opted-out contradict each other: give one')
        }
        const format = flags.format ?? 'csv'
        const { exportCustomers, EXPORT_FIELDS, KNOWN_EXPORT_FIELDS } = await import('../export/exportCustomers.js')
        const { parseFields, writeRows } = await import('./output.js')
        const { listFields } = await import('../fields/index.js')
        const customFields = await listFields(crm.db)
        const fields = parseFields(flags.fields, [...KNOWN_EXPORT_FIELDS, ...customFields.map((f) => f.name)]) ?? [...EXPORT_FIELDS, ...customFields.map((f) => f.name)]
        if (flags.fields && format === 'vcard') throw new UsageError('--fields does not apply to vCard (a card has fixed properties)')
        if (flags.raw && format !== 'csv') throw new UsageError('--raw applies to CSV only (JSON and vCard are always exact)')
        const { rows, leftOut } = await exportCustomers(crm.db, {
          spec,
          ctx: { now: now(), config },
          excludeRefused: !flags.includeOptedOut && !spec.consent?.length,
          customFields: format === 'vcard' ? customFields : customFields.filter((f) => fields.includes(f.name)),
          currency: config.currency,
        })
        let count = 0
        if (format === 'vcard') {
          const { vcardOf } = await import('../export/writeVcard.js')
          // Cards go out in ~64 KB writes: one write per card costs more than making it.
          let buffered = ''
          for await (const r of rows) {
            buffered += vcardOf(r as Parameters<typeof vcardOf>[0])
            count++
            if (buffered.length > 65536) {
              await writeOut(buffered)
              buffered = ''
            }
          }
          if (buffered) await writeOut(buffered)
        } else {
          // Tags: one cell "a, b" in CSV (crm import splits it), a list in JSON.
          const shaped = async function* () {
            for await (const { custom: _custom, ...r } of rows) yield format === 'csv' ? { ...r, tags: r.tags.join(', ') } : r
          }
          count = await writeRows(shaped(), { format, fields, raw: Boolean(flags.raw) })
        }
        say(`exported ${count} customer${count === 1 ? '' : 's'}`)
        if (leftOut > 0) {
          say(`${leftOut} customer${leftOut === 1 ? '' : 's'} who refused contact left out (--consent CHANNEL lists those who may be contacted on one channel; --include-opted-out for non-marketing use)`)
        }
      })
    })
}
