import { Command } from 'commander'
import { now } from '../clock.js'
import { answerWindow } from '../nps/answerWindow.js'
import { DETRACTOR_FIELDS, detractorsToCall } from '../nps/detractors.js'
import { resolveSegment } from '../query/segments.js'
import { addAnswerOptions, answerWindowFromOptions, campaignFromOptions, type AnswerOptions } from './answerOptions.js'
import { withDb } from './context.js'
import { addFilterOptions, filterSpecFromOptions, type FilterOptions } from './filterOptions.js'
import { say } from './messages.js'
import { addOutputOptions, parseFields, resolveFormat, writeRows } from './output.js'

interface DetractorOptions extends FilterOptions, AnswerOptions {
  format?: string
  fields?: string
  raw?: boolean
}

const HELP = `
Customers whose latest answer in the window is 0–6 and who have had no contact (crm log,
or imported interactions) since, lowest score first. Their comment, last purchase and
phone come along; a customer who refused phone contact is listed without the number.

Example:
  $ crm nps detractors --answered-days 30
  $ crm nps detractors --state CA --campaign autumn --format csv > call-back.csv`

const TABLE_FIELDS = ['id', 'first_name', 'last_name', 'phone', 'score', 'answered_at', 'comment', 'last_purchase_at', 'last_product']

export function npsDetractorsCommand(): Command {
  const cmd = new Command('detractors').description('the detractors to call back: not contacted since they answered 0–6')
  addFilterOptions(cmd)
  addAnswerOptions(cmd)
  addOutputOptions(cmd)
  return cmd
    .option('--raw', 'CSV: write values exactly, without formula neutralising')
    .addHelpText('after', HELP)
    .action(async (opts: DetractorOptions, self: Command) => {
      await withDb(self, async ({ crm, config }) => {
        const clock = now()
        const window = answerWindow(answerWindowFromOptions(opts), { now: clock, timeZone: config.timezone })
        const campaign = campaignFromOptions(opts)
        const filter = await resolveSegment(crm.db, filterSpecFromOptions(opts, config))
        const format = resolveFormat(opts.format)
        const fields = parseFields(opts.fields, DETRACTOR_FIELDS) ?? (format === 'table' ? TABLE_FIELDS : [...DETRACTOR_FIELDS])
        const rows = await detractorsToCall(crm.db, { filter, window, campaign }, { now: clock, config })
        const refused = rows.filter((r) => r.consent_phone === 'refused')
        for (const r of refused) r.phone = null
        await writeRows(rows, { format, fields, raw: opts.raw })
        say(`${rows.length} detractor${rows.length === 1 ? '' : 's'} to call back${window.label === 'all time' ? '' : ` (answers ${window.label})`}`)
        if (refused.length) say(`${refused.length} refused phone contact: listed without a phone number`)
      })
    })
}
