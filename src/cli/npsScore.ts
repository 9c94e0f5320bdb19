import { Command, Option } from 'commander'
import { now } from '../clock.js'
import { GROUP_BY, type GroupBy } from '../nps/group.js'
import { npsReport, smallRows, type NpsReport } from '../nps/npsReport.js'
import { signedPoints } from '../nps/score.js'
import { resolveSegment } from '../query/segments.js'
import { addAnswerOptions, answerWindowFromOptions, campaignFromOptions, type AnswerOptions } from './answerOptions.js'
import { withDb } from './context.js'
import { addFilterOptions, filterSpecFromOptions, type FilterOptions } from './filterOptions.js'
import { say, warn, writeOut } from './messages.js'
import { addOutputOptions, parseFields, resolveFormat, writeRows, type Row } from './output.js'

interface NpsOptions extends FilterOptions, AnswerOptions {
  allAnswers?: boolean
  adjusted?: boolean
  by?: GroupBy
  compare?: 'previous' | 'rest'
  format?: string
  fields?: string
}

const HELP = `
Promoters answer 9–10, passives 7–8, detractors 0–6; NPS = % promoters − % detractors
(−100…+100), with its 95% interval (low, high). By default each customer's latest answer
in the window counts (within each --by group); anonymous answers count unless a customer
filter is given. Fewer than 30 answers draw a warning.

--compare previous   without --by: the answer window against the same length before it;
                     with --by month|quarter|year: each period against the one before
--compare rest       the filtered customers (or each --by segment) against everyone else
Each compared row gets vs, diff (points), diff_low/diff_high (95%), z, p_value and a verdict
such as "rose from +21 to +30 (…): not significant at n = 80 (40 + 40)".

Example:
  $ crm nps --answered-days 90
  $ crm nps --gender f --state CA --adjusted
  $ crm nps --by month --answered-since 2026-01-01
  $ crm nps --answered-days 30 --compare previous
  $ crm nps --by source --compare rest --format csv
  $ crm nps score --by tag --all-answers`

/** `crm nps score`, also what `crm nps` runs when no other subcommand is named. */
export function npsScoreCommand(): Command {
  const cmd = new Command('score').description('Net Promoter Score with its 95% interval, by period or segment, compared beyond noise')
  addFilterOptions(cmd)
  addAnswerOptions(cmd)
  addOutputOptions(cmd)
  return cmd
    .option('--all-answers', "count every answer, not only each customer's latest")
    .option('--adjusted', 'adjusted-Wald interval (better for small n)')
    .addOption(new Option('--by <group>', 'one row per group').choices(GROUP_BY))
    .addOption(new Option('--compare <what>', 'previous: window or period before; rest: everyone else').choices(['previous', 'rest']))
    .addHelpText('after', HELP)
    .action(async (opts: NpsOptions, self: Command) => {
      await withDb(self, async ({ crm, config }) => {
        const answered = answerWindowFromOptions(opts)
        const campaign = campaignFromOptions(opts)
        const filter = await resolveSegment(crm.db, filterSpecFromOptions(opts, config))
        const format = resolveFormat(opts.format)
        const report = await npsReport(
          crm.db,
          { filter, answered, campaign, allAnswers: Boolean(opts.allAnswers), adjusted: Boolean(opts.adjusted), by: opts.by, compare: opts.compare },
          { now: now(), config },
        )
        const groupColumn = report.groupColumn
        const statColumns = ['n', 'promoters', 'passives', 'detractors', 'promoters_pct', 'passives_pct', 'detractors_pct', 'nps', 'low', 'high']
        const compareColumns = report.comparing ? ['vs', 'diff', 'diff_low', 'diff_high', 'z', 'p_value', 'verdict'] : []
        const known = [...(groupColumn ? [groupColumn] : []), ...statColumns, ...compareColumns]
        const tableDefault = [...(groupColumn ? [groupColumn] : []), 'n', 'promoters', 'passives', 'detractors', 'nps', 'low', 'high', ...(report.comparing ? ['diff', 'verdict'] : [])]
        const fields = parseFields(opts.fields, known) ?? (format === 'table' ? tableDefault : known)
        const rows: Row[] = report.rows.map(({ group, ...rest }) => (groupColumn ? { [groupColumn]: group, ...rest } : rest))

        if (format === 'table') {
          say(`NPS of answers ${report.window === 'all time' ? 'of all time' : report.window}; ${opts.allAnswers ? 'every answer counts' : "each customer's latest answer counts"}`)
        }
        await writeRows(rows, { format, fields })
        if (format === 'table' && process.stdout.isTTY && opts.by && ['month', 'quarter', 'year'].includes(opts.by)) {
          const { trendChart } = await import('./npsChart.js')
          await writeOut('\n' + trendChart(report.rows.map((r) => ({ label: r.group ?? '', n: r.n, nps: r.nps }))))
        }
        if (format === 'table') for (const r of report.rows) if (r.verdict) say(`${r.group ?? 'these customers'}: ${r.verdict}`)
        warnAboutSize(report, campaign, Boolean(opts.adjusted))
      })
    })
}

/** Says plainly when there is no score, or when n is too small for it to mean much. */
function warnAboutSize(report: NpsReport, campaign: string | undefined, adjusted: boolean): void {
  const list = report.rows
  const total = list.reduce((s, r) => s + r.n, 0)
  if (total === 0) {
    warn(`no answers ${report.window === 'all time' ? 'at all' : `in ${report.window}`}${campaign ? ` for campaign ${campaign}` : ''}: there is no score`)
    return
  }
  const small = smallRows(list)
  if (small.length === 0) return
  if (list.length === 1) {
    const r = small[0]!
    const interval = `95% interval ${signedPoints(r.low!)} to ${signedPoints(r.high!)}${adjusted ? ', adjusted' : '; --adjusted is fairer for small n'}`
    warn(`only ${r.n} answer${r.n === 1 ? '' : 's'}: too few for the score to mean much (${interval}); 30 or more make it steadier`)
  } else {
    const what = report.groupColumn === 'window' ? 'windows' : `${report.groupColumn} groups`
    const names = small.slice(0, 5).map((r) => `${r.group} (n = ${r.n})`).join(', ')
    warn(`${small.length} of ${list.length} ${what} ${small.length === 1 ? 'has' : 'have'} fewer than 30 answers, too few for their scores to mean much: ${names}${small.length > 5 ? ', …' : ''}`)
  }
}
