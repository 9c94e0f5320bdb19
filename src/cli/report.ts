import { Command, Option } from 'commander'
import { now } from '../clock.js'
import type { Config } from '../config/config.js'
import { UsageError } from '../errors.js'
import type { FilterContext } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { resolveSegment } from '../query/segments.js'
import { barChart, formatMinor, type Bar } from './barChart.js'
import { withDb } from './context.js'
import { addFilterOptions, filterSpecFromOptions, type FilterOptions } from './filterOptions.js'
import { say, writeOut } from './messages.js'
import { addOutputOptions, parseFields, resolveFormat, writeRows, type Row, type RowFormat } from './output.js'
import type { ReportDb } from '../db/reportRows.js'
import type { CrmDb } from '../db/openDb.js'

interface ReportOptions extends FilterOptions {
  format?: string
  fields?: string
  raw?: boolean
  limit?: string
}

interface Produced {
  /** Rows, or a stream of them (written as they come for csv, json and ndjson). */
  rows: Row[] | AsyncIterable<Row>
  fields: string[]
  /** A chart under the table on a terminal. */
  chart?: Bar[]
  chartValue?: (v: number) => string
}

type Producer<O> = (crm: CrmDb, spec: FilterSpec, ctx: FilterContext, opts: O, config: Config) => Promise<Produced>

function parseCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag}: "${value}" is not a whole number`)
  return Number(value)
}

/** One `crm report NAME` subcommand: the filter and output flags, then its own. */
function reportSubcommand<O extends ReportOptions>(
  parent: Command,
  name: string,
  description: string,
  example: string,
  declare: (cmd: Command) => void,
  produce: Producer<O>,
  defaults: (spec: FilterSpec) => FilterSpec = (s) => s,
): void {
  const cmd = parent.command(name).description(description)
  declare(cmd)
  addFilterOptions(cmd)
  addOutputOptions(cmd)
  cmd
    .option('--limit <n>', 'at most N rows')
    .option('--raw', 'CSV: write values exactly, without formula neutralising')
    .addHelpText('after', `\nExample:\n${example}`)
    .action(async (...args: unknown[]) => {
      const self = args[args.length - 1] as Command
      // Positional arguments (report fields NAME) travel with the options.
      const opts = { ...self.opts(), args: self.args } as unknown as O
      const limit = parseCount('--limit', opts.limit)
      const format = resolveFormat(opts.format)
      await withDb(self, async ({ crm, config }) => {
        const spec = defaults(await resolveSegment(crm.db, filterSpecFromOptions(opts, config)))
        // --rfm-segment scored once, up front (crm report rfm applies it to its own scores).
        const { withRfmSegment } = await import('../reports/rfm.js')
        const plain = { now: now(), config }
        const ctx = name === 'rfm' ? plain : await withRfmSegment(reportDb(crm), spec, plain)
        const out = await produce(crm, spec, ctx, opts, config)
        const fields = parseFields(opts.fields, out.fields) ?? out.fields
        const rows = limit === undefined ? out.rows : Array.isArray(out.rows) ? out.rows.slice(0, limit) : take(out.rows, limit)
        await writeRows(rows, { format, fields, raw: opts.raw })
        await maybeChart(format, out)
      })
    })
}

async function* take<T>(rows: AsyncIterable<T>, n: number): AsyncGenerator<T> {
  if (n <= 0) return
  let i = 0
  for await (const row of rows) {
    yield row
    if (++i >= n) return
  }
}

async function maybeChart(format: RowFormat, out: Produced): Promise<void> {
  if (format !== 'table' || !process.stdout.isTTY || !out.chart || out.chart.length === 0) return
  await writeOut('\n' + barChart(out.chart, Math.min(process.stdout.columns || 80, 100), out.chartValue))
}

const SALES_FIELDS = ['period', 'start', 'orders', 'revenue_cents', 'customers', 'new_customers', 'returning_customers']
const SOURCE_FIELDS = ['source', 'customers', 'buyers', 'revenue_cents', 'avg_spend_cents', 'nps', 'nps_answers']
const RFM_SEGMENT_FIELDS = ['segment', 'customers', 'share', 'avg_recency_days', 'avg_orders', 'avg_spent_cents']
const RFM_CUSTOMER_FIELDS = ['id', 'first_name', 'last_name', 'email', 'last_purchase_at', 'recency_days', 'orders', 'spent_cents', 'r', 'f', 'm', 'rfm', 'segment']
const BASKET_FIELDS = ['product_a', 'product_b', 'together', 'support', 'confidence', 'confidence_b_a', 'lift']
const BIRTHDAY_FIELDS = ['id', 'first_name', 'last_name', 'birthday', 'days', 'turns', 'email', 'phone', 'street', 'city', 'region', 'postal_code', 'country']
const LAPSED_FIELDS = ['id', 'first_name', 'last_name', 'email', 'phone', 'last_purchase_at', 'days_inactive', 'orders', 'lifetime_spent_cents']

const FIELD_DISTRIBUTION_FIELDS = ['value', 'customers', 'share']

const HELP = `
Every report takes the filter flags of crm query (the customers it covers) and
--format table|csv|json|ndjson; the purchase window (--days/--since/--until) also bounds the
purchases a report counts. Money is in minor units (cents) of the base currency
(crm config get currency); periods and birthdays follow the configured time zone.
On a terminal, sales, sources and rfm draw a bar chart under the table.

Example:
  $ crm report sources --days 365
  $ crm report sales --by month --since 2026-01-01
  $ crm report rfm
  $ crm report basket --top 10
  $ crm report birthdays --birthday-within 14
  $ crm report lapsed --inactive-days 180 --limit 50
  $ crm report fields income_band --tag vip`

/** Parses --min-support as a fraction: 0.02, or 2%. */
export function parseSupport(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(%?)\s*$/.exec(value)
  const x = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN
  if (!(x >= 0 && x <= 1)) throw new UsageError(`--min-support: "${value}" is not a share between 0 and 1 (e.g. 0.01 or 1%)`)
  return x
}

export function reportCommand(): Command {
  const cmd = new Command('report')
    .description('reports: how customers heard of us, sales over time, RFM segments, bought together, birthdays, lapsed, custom fields')
    .addHelpText('after', HELP)

  reportSubcommand(
    cmd,
    'sources',
    'customers, revenue, average spend and NPS by how they heard of us',
    '  $ crm report sources\n  $ crm report sources --days 365 --country DE --format csv',
    () => {},
    async (crm, spec, ctx, _opts, config) => {
      const { sourcesReport } = await import('../reports/reports.js')
      const rows = await sourcesReport(crm.db, spec, ctx)
      return {
        rows: rows as unknown as Row[], fields: SOURCE_FIELDS,
        chart: rows.map((r) => ({ label: r.source, value: r.revenue_cents })), chartValue: (v) => formatMinor(v, config.currency),
      }
    },
  )

  reportSubcommand<ReportOptions & { by: string }>(
    cmd,
    'sales',
    'orders, revenue and new versus returning customers per day, week, month, quarter or year',
    '  $ crm report sales --by month --since 2026-01-01\n  $ crm report sales --by week --days 90 --category Coffee',
    (c) => c.addOption(new Option('--by <period>', 'day, week (ISO, from Monday), month, quarter or year').choices(['day', 'week', 'month', 'quarter', 'year']).default('month')),
    async (crm, spec, ctx, opts, config) => {
      const { salesReport } = await import('../reports/reports.js')
      const rows = await salesReport(reportDb(crm), spec, ctx, { by: opts.by as 'month' })
      return {
        rows: rows as unknown as Row[], fields: SALES_FIELDS,
        chart: rows.map((r) => ({ label: r.period, value: r.revenue_cents })), chartValue: (v) => formatMinor(v, config.currency),
      }
    },
  )

  reportSubcommand<ReportOptions & { customers?: boolean }>(
    cmd,
    'rfm',
    'recency, frequency and monetary quintile scores and the named segments (champions … lost) with their sizes',
    "  $ crm report rfm\n  $ crm report rfm --customers --rfm-segment 'at risk' --format csv\n  $ crm report rfm --days 365 --city Berlin",
    (c) => c.option('--customers', 'one row per customer with its scores, instead of the segment sizes'),
    async (crm, spec, ctx, opts) => {
      const { rfmCustomers, rfmSegmentSizes } = await import('../reports/reports.js')
      if (opts.customers) return { rows: (await rfmCustomers(reportDb(crm), spec, ctx)) as unknown as Row[], fields: RFM_CUSTOMER_FIELDS }
      const rows = await rfmSegmentSizes(reportDb(crm), spec, ctx)
      return { rows: rows as unknown as Row[], fields: RFM_SEGMENT_FIELDS, chart: rows.map((r) => ({ label: r.segment, value: r.customers })) }
    },
  )

  reportSubcommand<ReportOptions & { minSupport: string; top: string; per: string }>(
    cmd,
    'basket',
    'products bought together: support, confidence and lift; --bought NAME for "who bought this also bought"',
    "  $ crm report basket --top 10\n  $ crm report basket --bought 'Espresso machine' --per order\n  $ crm report basket --min-support 2% --days 365",
    (c) =>
      c
        .option('--min-support <share>', 'least share of baskets holding the pair (0.01 or 1%)', '0.01')
        .option('--top <n>', 'at most N pairs', '20')
        .addOption(new Option('--per <basket>', 'a basket is one customer (everything they bought) or one order').choices(['customer', 'order']).default('customer')),
    async (crm, spec, ctx, opts) => {
      const minSupport = parseSupport(opts.minSupport)
      const top = parseCount('--top', opts.top)!
      const { basketReport } = await import('../reports/reports.js')
      const report = await basketReport(reportDb(crm), spec, ctx, { per: opts.per as 'customer', minSupport, top })
      say(`${report.baskets} baskets (${opts.per === 'order' ? 'orders' : 'customers'})`)
      return { rows: report.rows as unknown as Row[], fields: BASKET_FIELDS }
    },
  )

  reportSubcommand(
    cmd,
    'birthdays',
    'upcoming birthdays (default: the next 14 days) with age and contact details, honouring consent',
    '  $ crm report birthdays --birthday-within 14\n  $ crm report birthdays --birthday-within 30 --consent mail --format csv > cards.csv',
    () => {},
    async (crm, spec, ctx) => {
      const { birthdaysReport } = await import('../reports/reports.js')
      return { rows: (await birthdaysReport(crm.db, spec, ctx)) as unknown as Row[], fields: BIRTHDAY_FIELDS }
    },
    (spec) => ({ ...spec, birthdayWithin: spec.birthdayWithin ?? 14 }),
  )

  reportSubcommand(
    cmd,
    'lapsed',
    'customers who bought before and stopped (default: nothing for 180 days), most valuable first',
    '  $ crm report lapsed --inactive-days 180\n  $ crm report lapsed --inactive-days 365 --tag vip --limit 20 --format json',
    () => {},
    async (crm, spec, ctx) => {
      const { lapsedCustomers } = await import('../reports/reports.js')
      return { rows: lapsedCustomers(reportDb(crm), spec, ctx) as AsyncIterable<unknown> as AsyncIterable<Row>, fields: LAPSED_FIELDS }
    },
    (spec) => ({ ...spec, inactiveDays: spec.inactiveDays ?? 180 }),
  )

  reportSubcommand<ReportOptions & { by: string; buckets: string; args: string[] }>(
    cmd,
    'fields',
    "how one custom field's values spread: each choice, true/false, dates by year or month, numbers in ranges (with the empty ones)",
    '  $ crm report fields income_band\n  $ crm report fields children --city Berlin\n  $ crm report fields member_since --by month --format csv',
    (c) =>
      c
        .argument('<name>', 'the custom field (crm field list)')
        .addOption(new Option('--by <period>', 'dates: per year or month').choices(['year', 'month']).default('year'))
        .option('--buckets <n>', 'numbers and money: at most about N ranges', '10'),
    async (crm, spec, ctx, opts) => {
      const { fieldDistribution, listFields, requireField } = await import('../fields/index.js')
      const { customerIdsMatching, customerConditions, usesSqlite } = await import('../query/customerFilter.js')
      const field = requireField(await listFields(crm.db), opts.args[0]!, 'report fields')
      const buckets = parseCount('--buckets', opts.buckets)!
      if (buckets < 1) throw new UsageError('--buckets: give at least 1')
      const filtered = customerConditions(spec, ctx, usesSqlite(crm.db)).length > 0
      const rows = await fieldDistribution(crm.db, field, {
        selected: filtered ? customerIdsMatching(crm.db, spec, ctx) : undefined,
        currency: ctx.config.currency,
        by: opts.by as 'year',
        buckets,
      })
      return { rows: rows as unknown as Row[], fields: FIELD_DISTRIBUTION_FIELDS, chart: rows.map((r) => ({ label: r.value, value: r.customers })) }
    },
  )
  return cmd
}

/** The database as the reports take it: Kysely, and on SQLite the raw handle for their one-pass reads. */
function reportDb(crm: CrmDb): ReportDb {
  return { db: crm.db, sqlite: crm.kind === 'sqlite' ? crm.sqlite : undefined }
}
