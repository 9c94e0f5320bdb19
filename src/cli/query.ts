import { Command, Option } from 'commander'
import { now } from '../clock.js'
import { UsageError } from '../errors.js'
import type { FilterContext } from '../query/customerFilter.js'
import { countCustomers, QUERY_FIELDS, queryCustomers, TABLE_FIELDS, type QueryField, type SortKey } from '../query/queryCustomers.js'
import { resolveSegment } from '../query/segments.js'
import { withDb } from './context.js'
import { addFilterOptions, filterSpecFromOptions, type FilterOptions } from './filterOptions.js'
import { writeOut } from './messages.js'
import { addOutputOptions, parseFields, resolveFormat, writeRows } from './output.js'
import { queryRows } from '../db/queryRows.js'
import type { FieldDefinition } from '../fields/fieldValue.js'

interface QueryOptions extends FilterOptions {
  format?: string
  fields?: string
  sort?: string[]
  limit?: string
  offset?: string
  count?: boolean
  raw?: boolean
}

const HELP = `
Rows carry the customer's columns plus spent_cents, orders and last_purchase_at for the
purchase window (all time when no --days/--since/--until is given) and tags.
Money flags are in the base currency (crm config get currency); other currencies are not summed.

Example:
  $ crm query --gender f --spent-gt 500 --days 30
  $ crm query --city münchen --consent email --format csv > list.csv
  $ crm query --birthday-within 7 --fields first_name,last_name,birth_date --sort birth_date
  $ crm query --inactive-days 180 --sort spent_cents:desc --limit 20
  $ crm filter --tag vip --count
  $ crm query --where "children>=2" --where "income_band=high" --sort children:desc`

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value]

export function queryCommand(): Command {
  const cmd = new Command('query')
    .alias('filter')
    .description('list the customers that match a filter (demographics, address, spend in a window, tags, consent)')
  addFilterOptions(cmd)
  addOutputOptions(cmd)
  return cmd
    .addOption(new Option('--sort <field[:desc]>', 'sort by a field, repeatable (e.g. spent_cents:desc)').argParser(collect))
    .option('--limit <n>', 'at most N rows')
    .option('--offset <n>', 'skip the first N rows')
    .option('--count', 'print only how many customers match')
    .option('--raw', 'CSV: write values exactly, without formula neutralising')
    .addHelpText('after', HELP)
    .action(async (opts: QueryOptions, self: Command) => {
      await withDb(self, async ({ crm, config }) => {
        const spec = await resolveSegment(crm.db, filterSpecFromOptions(opts, config))
        let ctx: FilterContext = { now: now(), config }
        if (spec.rfmSegment !== undefined && crm.kind === 'sqlite') {
          // Scored by the report's code, not by three SQL windows (3 s less at 1M customers).
          const { withRfmSegment } = await import('../reports/rfm.js')
          ctx = await withRfmSegment({ db: crm.db, sqlite: crm.sqlite }, spec, ctx)
        }
        if (opts.count) {
          await writeOut(`${await countCustomers(crm.db, spec, ctx)}\n`)
          return
        }
        const format = resolveFormat(opts.format)
        const { listFields, withFieldNames } = await import('../fields/index.js')
        const custom = await listFields(crm.db)
        const known = [...QUERY_FIELDS, ...custom.map((f) => f.name)]
        const fields = parseFields(canonicalNames(opts.fields, custom), known) ?? (format === 'table' ? TABLE_FIELDS : undefined)
        const shown = fields ? custom.filter((f) => fields.includes(f.name)) : custom
        const page = {
          fields,
          sort: parseSort(opts.sort, custom),
          limit: parseCount('--limit', opts.limit),
          offset: parseCount('--offset', opts.offset),
          customFields: shown,
        }
        const rows = withFieldNames(queryRows(crm, queryCustomers(crm.db, spec, ctx, page)), shown, config.currency)
        await writeRows(rows, { format, fields: fields ?? known, raw: opts.raw, fromSql: true })
      })
    })
}

function parseCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag}: "${value}" is not a whole number`)
  return Number(value)
}

/** `--fields` with custom field names in any case turned into their defined spelling. */
function canonicalNames(value: string | undefined, custom: readonly FieldDefinition[]): string | undefined {
  if (!value) return value
  return value.split(',').map((f) => custom.find((c) => c.name.toLowerCase() === f.trim().toLowerCase())?.name ?? f).join(',')
}

/** `--sort last_name --sort spent_cents:desc --sort children:desc`, each field checked against the known names. */
export function parseSort(values: string[] | undefined, custom: readonly FieldDefinition[] = []): SortKey[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => {
    const m = /^\s*([a-z0-9_]+)(?::(asc|desc))?\s*$/i.exec(v)
    const field = m?.[1]?.toLowerCase()
    const customField = custom.find((c) => c.name.toLowerCase() === field)
    if (!m || !field || (!QUERY_FIELDS.includes(field) && !customField)) {
      const valid = [...QUERY_FIELDS, ...custom.map((c) => c.name)]
      throw new UsageError(`--sort: unknown field "${v}" (valid: ${valid.join(', ')}; add :desc to reverse)`)
    }
    const descending = m[2]?.toLowerCase() === 'desc'
    return customField && !QUERY_FIELDS.includes(field) ? { field: 'id', descending, customField } : { field: field as QueryField, descending }
  })
}
