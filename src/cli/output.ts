import { Option, type Command } from 'commander'
import { UsageError } from '../errors.js'
import { writeOut } from './messages.js'
import { graphemes } from '../text/graphemes.js'

export const ROW_FORMATS = ['table', 'csv', 'json', 'ndjson'] as const
export type RowFormat = (typeof ROW_FORMATS)[number]
export type Row = Record<string, unknown>

/** `--format`, shared by every command that lists rows. */
export function formatOption(formats: readonly string[] = ROW_FORMATS): Option {
  return new Option('--format <format>', 'output format (default: table on a terminal, csv when piped)').choices(formats)
}

/** Table on a terminal, CSV when piped, unless asked. */
export function resolveFormat(asked: string | undefined): RowFormat {
  if (asked) return asked as RowFormat
  return process.stdout.isTTY ? 'table' : 'csv'
}

/**
 * Text cells a spreadsheet would run as a formula are prefixed with a quote
 * (OWASP "CSV injection"); numbers such as -5 or +49 30 1234 stay as they are.
 */
export function neutraliseCell(value: string): string {
  if (value === '') return value
  const first = value[0]!
  if (first === '=' || first === '@' || first === '\t' || first === '\r') return `'${value}`
  if (first === '+' || first === '-') {
    // A number or a phone number is data, not a formula.
    if (/^[+-]?[\d\s().-]+$/.test(value)) return value
    return `'${value}`
  }
  return value
}

function cellText(value: unknown): string {
  if (value == null) return ''
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

export interface WriteRowsOptions {
  format: RowFormat
  /** Column order; defaults to the first row's keys. */
  fields?: string[]
  /** CSV: write values exactly, without formula neutralisation. */
  raw?: boolean
  /**
   * The rows come straight from SQL, so no value is undefined: when a row's keys are the
   * fields in order, JSON writes the row as it is instead of a copy (a third of the time
   * of `crm query --format ndjson` in a fresh process, issue 18).
   */
  fromSql?: boolean
}

/** Writes rows to stdout in the chosen format; streams for csv, json and ndjson. */
export async function writeRows(rows: Iterable<Row> | AsyncIterable<Row>, options: WriteRowsOptions): Promise<number> {
  let fields = options.fields
  let count = 0
  if (options.format === 'table') {
    const all: Row[] = []
    for await (const r of rows) all.push(r)
    fields ??= all[0] ? Object.keys(all[0]) : []
    await writeOut(renderTable(all, fields))
    return all.length
  }
  // Rows are gathered into ~64 KiB chunks: one write per row costs more than the row itself.
  let buffer = options.format === 'json' ? '[' : ''
  let asIs: boolean | undefined
  const text = (row: Row): string => {
    fields ??= Object.keys(row)
    asIs ??= options.fromSql === true && sameKeys(row, fields)
    let out = ''
    if (options.format === 'csv') {
      if (count === 0) out += csvLine(fields)
      const cells = fields.map((f) => {
        const t = cellText(row[f])
        return options.raw || typeof row[f] === 'number' ? t : neutraliseCell(t)
      })
      out += csvLine(cells)
    } else {
      const json = JSON.stringify(asIs ? row : pick(row, fields))
      out += options.format === 'json' ? (count === 0 ? '\n' : ',\n') + json : json + '\n'
    }
    count++
    return out
  }
  // A synchronous source (SQLite) is read without a promise per row.
  if (Symbol.iterator in rows) {
    for (const row of rows) {
      buffer += text(row)
      if (buffer.length >= 65536) {
        await writeOut(buffer)
        buffer = ''
      }
    }
  } else {
    for await (const row of rows) {
      buffer += text(row)
      if (buffer.length >= 65536) {
        await writeOut(buffer)
        buffer = ''
      }
    }
  }
  if (options.format === 'json') buffer += count === 0 ? ']\n' : '\n]\n'
  if (options.format === 'csv' && count === 0 && fields) buffer += csvLine(fields)
  if (buffer !== '') await writeOut(buffer)
  return count
}

/** One CSV record as csv-stringify writes it (RFC 4180 quoting), without its per-call setup. */
function csvLine(cells: string[]): string {
  return cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',') + '\n'
}

/** True when the row's keys are exactly `fields`, in that order (every row of one SQL query has the same keys). */
function sameKeys(row: Row, fields: string[]): boolean {
  const keys = Object.keys(row)
  return keys.length === fields.length && keys.every((k, i) => k === fields[i])
}

function pick(row: Row, fields: string[]): Row {
  const out: Row = {}
  for (const f of fields) out[f] = row[f] ?? null
  return out
}

/** A table that fits the terminal, with wide (CJK) and combining characters measured right. */
export function renderTable(rows: Row[], fields: string[]): string {
  if (rows.length === 0) return '(no rows)\n'
  const width = process.stdout.columns || 120
  const cells = rows.map((r) => fields.map((f) => cellText(r[f]).replace(/\s+/g, ' ')))
  const natural = fields.map((f, i) => Math.max(displayWidth(f), ...cells.map((c) => displayWidth(c[i]!))))
  const widths = fitWidths(natural, width - (fields.length - 1) * 2)
  const line = (values: string[]) => values.map((v, i) => padTo(truncateTo(v, widths[i]!), widths[i]!)).join('  ').trimEnd()
  const out = [line(fields), line(widths.map((w) => '─'.repeat(w))), ...cells.map(line)]
  return out.join('\n') + '\n'
}

/** Shrinks the widest columns first until the table fits. */
function fitWidths(natural: number[], available: number): number[] {
  const widths = [...natural]
  let total = widths.reduce((a, b) => a + b, 0)
  while (total > available) {
    let widest = 0
    for (let i = 1; i < widths.length; i++) if (widths[i]! > widths[widest]!) widest = i
    if (widths[widest]! <= 6) break
    widths[widest]!--
    total--
  }
  return widths
}

/** Terminal columns a text takes: wide East Asian characters count two, marks zero. */
export function displayWidth(text: string): number {
  let w = 0
  for (const { segment } of graphemes(text)) w += graphemeWidth(segment)
  return w
}

function graphemeWidth(g: string): number {
  const cp = g.codePointAt(0)!
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0
  if (/\p{Mn}|\p{Me}|\p{Cf}/u.test(g[0]!)) return 0
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2
  return 1
}

function truncateTo(text: string, width: number): string {
  if (displayWidth(text) <= width) return text
  let out = ''
  let w = 0
  for (const { segment } of graphemes(text)) {
    const gw = graphemeWidth(segment)
    if (w + gw > width - 1) break
    out += segment
    w += gw
  }
  return out + '…'
}

function padTo(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - displayWidth(text)))
}

/** `--fields a,b,c` checked against the known names: an unknown one is a usage error. */
export function parseFields(value: string | undefined, known: readonly string[]): string[] | undefined {
  if (!value) return undefined
  const fields = value.split(',').map((f) => f.trim()).filter(Boolean)
  const unknown = fields.filter((f) => !known.includes(f))
  if (unknown.length) throw new UsageError(`unknown field "${unknown[0]}" (valid: ${known.join(', ')})`)
  return fields
}

export function addOutputOptions(cmd: Command, formats: readonly string[] = ROW_FORMATS): Command {
  return cmd.addOption(formatOption(formats)).option('--fields <list>', 'columns to show, comma-separated')
}
