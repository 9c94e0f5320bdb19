import { Command, Option } from 'commander'
import { z } from 'zod'
import { UsageError } from '../errors.js'
import { withDb } from './context.js'
import { printError, say, writeOut } from './messages.js'

const ImportFlags = z.object({
  type: z.enum(['customers', 'purchases', 'interactions', 'nps']).optional(),
  encoding: z.string().optional(),
  delimiter: z
    .string()
    .transform((d) => (d === '\\t' || d.toLowerCase() === 'tab' ? '\t' : d))
    .refine((d) => d.length === 1, 'a single character, or "tab"')
    .optional(),
  map: z.array(z.string()).default([]),
  dateFormat: z.enum(['mdy', 'dmy', 'ymd']).optional(),
  onConflict: z.enum(['update', 'skip', 'error']).default('update'),
  skipInvalid: z.boolean().default(false),
  dryRun: z.boolean().default(false),
  keepUnmatched: z.boolean().default(false),
  dedupe: z.boolean().default(false),
  onDuplicate: z.enum(['keep', 'skip', 'merge']).default('keep'),
  rejects: z.string().optional(),
  format: z.enum(['text', 'json']).default('text'),
})
type ImportFlags = z.infer<typeof ImportFlags>

const collect = (value: string, previous: string[] = []) => [...previous, value]

export function importCommand(): Command {
  return new Command('import')
    .description('import customers, purchases, contacts or NPS answers from a CSV or vCard file')
    .argument('<file>', 'CSV/TSV file (any delimiter, UTF-8/UTF-16/Windows code pages)')
    .addOption(new Option('--type <type>', 'what the rows are (default: detected from the header)').choices(['customers', 'purchases', 'interactions', 'nps']))
    .option('--encoding <name>', 'force the encoding (utf-8, utf-16le, windows-1252, windows-1251 …)')
    .option('--delimiter <char>', 'force the delimiter ("," ";" "tab" "|")')
    .option('--map <Header=field>', 'map a column to a field; "Header=-" drops it (repeatable)', collect)
    .addOption(new Option('--date-format <order>', 'how to read 03/04/2025 (default: config date_format)').choices(['mdy', 'dmy', 'ymd']))
    .addOption(new Option('--on-conflict <mode>', 'a row whose customer (external id or email) or purchase exists').choices(['update', 'skip', 'error']).default('update'))
    .option('--skip-invalid', 'import the good rows; write the rejected ones to a rejects CSV')
    .option('--rejects <file>', 'where --skip-invalid writes rejected rows (default: FILE.rejects.csv)')
    .option('--keep-unmatched', 'NPS: keep answers from unknown people as anonymous answers')
    .option('--dedupe', 'list new rows that look like an existing customer (Rob vs Robert, new phone format …)')
    .addOption(new Option('--on-duplicate <action>', 'with --dedupe: keep (insert and list), skip, or merge into the match').choices(['keep', 'skip', 'merge']).default('keep'))
    .option('--dry-run', 'show the mapping and what would happen; write nothing')
    .addOption(new Option('--format <format>', 'summary format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
Our own column names are the schema's: external_id, first_name, last_name, email, phone, gender, birth_date,
street, city, region, postal_code, country, company, job_title, source, territory, sales_rep, consent_email,
consent_mail, consent_sms, consent_phone, notes, tags. Google Contacts, Outlook, Mailchimp and HubSpot exports
are recognised by their headers. Unknown columns are kept as extra fields.

Example:
  $ crm import examples/contacts.csv
  $ crm import orders.csv --type purchases --skip-invalid
  $ crm import kunden.csv --date-format dmy --map "Kundennr=external_id" --dry-run
  $ crm import newsletter.csv --dedupe --on-duplicate skip`,
    )
    .action(async (file: string, rawFlags: Record<string, unknown>, cmd: Command) => {
      const parsed = ImportFlags.safeParse(rawFlags)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        throw new UsageError(`--${String(issue.path[0]).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}: ${issue.message}`)
      }
      const flags = parsed.data
      if (flags.skipInvalid && flags.dryRun) throw new UsageError('--skip-invalid writes a rejects file; --dry-run writes nothing: use one')
      await withDb(cmd, async ({ crm, config }) => {
        const { importFile } = await import('../import/importFile.js')
        const progress = await progressBar(cmd)
        let summary
        try {
          summary = await importFile(crm, file, config, {
            type: flags.type,
            encoding: flags.encoding,
            delimiter: flags.delimiter,
            map: flags.map,
            dateFormat: flags.dateFormat,
            onConflict: flags.onConflict,
            skipInvalid: flags.skipInvalid,
            dryRun: flags.dryRun,
            keepUnmatched: flags.keepUnmatched,
            dedupe: flags.dedupe,
            onDuplicate: flags.onDuplicate,
            rejectsPath: flags.rejects,
            onProgress: progress?.update,
          })
        } finally {
          progress?.stop()
        }
        await report(summary, flags)
      })
    })
}

type Summary = Awaited<ReturnType<typeof import('../import/importFile.js').importFile>>

async function report(s: Summary, flags: ImportFlags): Promise<void> {
  if (flags.format === 'json') await writeOut(JSON.stringify(s, null, 2) + '\n')
  if (flags.dryRun) {
    say(`encoding: ${s.encoding} (${s.encodingReason})`)
    for (const line of s.mapping) say(line)
  }
  const failed = s.rejected > 0 && !flags.skipInvalid
  const reasons = s.errors.map((e) => `${s.file}:${e.line}: ${e.field}: ${e.reason}`)
  if (failed) {
    for (const r of reasons) printError(r)
    const more = s.rejected - new Set(s.errors.map((e) => e.line)).size
    if (more > 0) printError(`… and ${more} more rejected rows`)
    process.exitCode = 1
    printError(
      `${s.file}: ${s.rejected} of ${s.rows} rows rejected; nothing imported (fix them, or --skip-invalid imports the rest and writes the rejected rows to a file)`,
    )
    return
  }
  const counts = `${s.inserted} inserted, ${s.updated} updated, ${s.unchanged} unchanged, ${s.skipped} skipped, ${s.rejected} rejected`
  const extra = [s.unmatched ? `${s.unmatched} from unknown people kept anonymously` : '', s.suppressed ? `${s.suppressed} erased people not re-created` : '']
    .filter(Boolean)
    .join(', ')
  if (flags.dryRun) say(`dry run, nothing written: ${s.file} (${s.type}, ${s.format}, ${s.encoding}): would be ${counts}${extra ? `, ${extra}` : ''}`)
  else say(`imported ${s.file} (${s.type}): ${counts}${extra ? `, ${extra}` : ''} in ${s.seconds.toFixed(2)} s`)
  for (const d of s.duplicates.slice(0, 20)) {
    const verb = d.action === 'keep' ? 'added anyway' : d.action === 'skip' ? 'skipped' : 'merged into it'
    say(`${s.file}:${d.line}: looks like customer ${d.id} (${Math.round(d.score * 100)}%: ${d.reasons.join('; ')}); ${verb}`)
  }
  if (s.duplicateCount > 20) say(`… and ${s.duplicateCount - 20} more likely duplicates`)
  if (s.rejectsFile) {
    for (const r of reasons.slice(0, 3)) say(`  ${r}`)
    say(`rejected rows written to ${s.rejectsFile}`)
  }
}

/** A byte-based progress bar on stderr, only when a person is watching. */
async function progressBar(cmd: Command): Promise<{ update: (read: number, total: number) => void; stop: () => void } | null> {
  const quiet = Boolean(cmd.optsWithGlobals().quiet)
  if (!process.stderr.isTTY || quiet) return null
  const { SingleBar, Presets } = await import('cli-progress')
  const bar = new SingleBar(
    { format: 'importing [{bar}] {percentage}% | {eta_formatted} left', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  )
  let started = false
  return {
    update(read, total) {
      if (!started) {
        bar.start(total, 0)
        started = true
      }
      bar.update(read)
    },
    stop() {
      if (started) bar.stop()
    },
  }
}
