import { chmodSync, writeFileSync } from 'node:fs'
import { Command, Option } from 'commander'
import { stringify } from 'csv-stringify/sync'
import { z } from 'zod'
import { now } from '../clock.js'
import type { Config } from '../config/config.js'
import { CrmError, UsageError } from '../errors.js'
import { withDb, globalOptions } from './context.js'
import { addFilterOptions, filterSpecFromOptions, type FilterOptions } from './filterOptions.js'
import { say, warn, writeOut } from './messages.js'
import { displayWidth, neutraliseCell, renderTable } from './output.js'

const LabelFlags = z.object({
  format: z.enum(['pdf', 'text', 'csv']).optional(),
  template: z.string().optional(),
  label: z.string().optional(),
  grid: z.string().optional(),
  margin: z.string().optional(),
  pitch: z.string().optional(),
  page: z.string().optional(),
  padding: z.string().optional(),
  listTemplates: z.boolean().default(false),
  output: z.string().optional(),
  offsetX: z.string().optional(),
  offsetY: z.string().optional(),
  outline: z.boolean().default(false),
  startAt: z.string().optional(),
  width: z.string().default('40'),
  height: z.string().default('6'),
  gap: z.string().default('1'),
  household: z.boolean().default(false),
  sort: z.enum(['postal', 'name']).default('postal'),
  showSkipped: z.boolean().default(false),
  raw: z.boolean().default(false),
  line: z.array(z.string()).default([]),
})
type LabelFlags = z.infer<typeof LabelFlags>

/** Countries that buy US Letter label sheets; everyone else uses A4. */
const LETTER_COUNTRIES = new Set(['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'GT', 'CR', 'DO', 'PR', 'PA', 'SV'])

export function labelsCommand(): Command {
  const cmd = new Command('labels')
    .description('mailing labels for any customer filter: PDF on label sheets, fixed-width text, or CSV for mail merge')
    .addOption(new Option('--format <format>', 'pdf, text or csv (default: text on a terminal, pdf when piped or with --output)').choices(['pdf', 'text', 'csv']))
    .option('--template <name>', 'label sheet: 5160, 5161, 5162, 5163, 5164, L7160, L7161, L7162, L7163, L7165 or custom (default: 5160 in Letter countries, L7160 elsewhere)')
    .option('--list-templates', 'list the label sheets and exit')
    .option('--label <WxH>', 'custom: label size, e.g. 2.625x1in or 70x37mm')
    .option('--grid <CxR>', 'custom: columns x rows, e.g. 3x10')
    .option('--margin <left,top>', 'custom: where the first label starts, e.g. 0.15625in,0.5in (default 0,0)')
    .option('--pitch <HxV>', 'custom: distance from one label to the next, e.g. 2.78125x1in (default: the label size)')
    .option('--page <size>', 'custom: letter, a4 or WxH (default: letter in Letter countries, else a4)')
    .option('--padding <length>', 'custom: clear space inside each label edge (default 0.0625in)')
    .option('-o, --output <file>', 'write to FILE (mode 0600) instead of stdout')
    .option('--offset-x <mm>', 'move everything right by this much to calibrate a printer (default: config label_offset_x)')
    .option('--offset-y <mm>', 'move everything down by this much (default: config label_offset_y)')
    .option('--outline', 'draw the label borders, for a test print on plain paper')
    .option('--start-at <n>', 'begin at label position N of the first sheet (a partly used sheet)')
    .option('--width <columns>', 'text: columns per label', '40')
    .option('--height <lines>', 'text: lines per label', '6')
    .option('--gap <lines>', 'text: blank lines between labels', '1')
    .option('--household', 'one label per address ("The Smith household") instead of one per person')
    .addOption(new Option('--sort <order>', 'postal: by postal code, domestic first (bulk-mail presort); name: by last name').choices(['postal', 'name']).default('postal'))
    .option('--show-skipped', 'list on stderr the customers who get no label, and why')
    .option('--raw', 'csv: write values exactly, without formula neutralising')
    .option('--line <template>', 'an extra line under each address, {NAME} filled from a custom or own field, e.g. "Card {loyalty_number}" (repeatable)', (v: string, all: string[]) => [...all, v], [] as string[])
  addFilterOptions(cmd)
  cmd.addHelpText(
    'after',
    `
Only customers who have not refused post and whose address is complete for their
country get a label; the others are counted on stderr (--show-skipped lists them).
Address lines follow the destination country's postal format; the country line is left
out for the sender's own country (config sender.country, else country).

Example:
  $ crm labels --state CA | lpr
  $ crm labels --country DE --template L7160 --output labels.pdf
  $ crm labels --template custom --label 2.625x1in --grid 3x10 --margin 0.15625in,0.5in --pitch 2.78125x1in -o labels.pdf
  $ crm labels --tag newsletter --format text --width 36 --height 6 --gap 0
  $ crm labels --household --format csv > merge.csv
  $ crm labels --where "loyalty_number is not empty" --line "Card {loyalty_number}" --format text`,
  )
  cmd.action(async (_opts: unknown, self: Command) => {
    const flags = parseFlags(self.opts())
    if (flags.listTemplates) {
      globalOptions(self)
      const { TEMPLATES, labelsPerSheet } = await import('../labels/templates.js')
      const rows = TEMPLATES.map((t) => ({
        template: t.name,
        page: t.page.name,
        label: t.page.name === 'A4' ? `${fmt((t.label.width * 25.4) / 72, 1)} × ${fmt((t.label.height * 25.4) / 72, 1)} mm` : `${fmt(t.label.width / 72)} × ${fmt(t.label.height / 72)} in`,
        grid: `${t.columns}×${t.rows}`,
        per_sheet: labelsPerSheet(t),
        description: t.description,
      }))
      await writeOut(renderTable(rows, Object.keys(rows[0]!)))
      return
    }
    await withDb(self, async ({ crm, config }) => {
      const filter = filterSpecFromOptions(self.opts() as FilterOptions, config)
      const request = await buildRequest(flags, config)
      const { printLabels } = await import('../labels/printLabels.js')
      const { parseLineTemplate } = await import('../labels/lineTemplates.js')
      const lineTemplates = flags.line.map(parseLineTemplate)
      const result = await printLabels(crm, config, { ...request, spec: filter, lineTemplates, now: now() })
      await deliver(result, flags)
      report(result, flags, request)
    })
  })
  return cmd
}

function fmt(n: number, digits = 3): string {
  return String(Number(n.toFixed(digits)))
}

function parseFlags(raw: Record<string, unknown>): LabelFlags {
  const parsed = LabelFlags.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new UsageError(`--${String(issue.path[0]).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}: ${issue.message}`)
  }
  return parsed.data
}

function wholeNumber(flag: string, value: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\s*\d+\s*$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag}: "${value}" is not a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`)
  }
  return Number(value)
}

/** "1.5", "-0.8mm", "0.05in" → points; millimetres unless a unit is given. */
function offset(flag: string, value: string | undefined, configMm: number, points: (flag: string, t: string, unit: string) => number): number {
  if (value === undefined) return (configMm * 72) / 25.4
  const m = /^\s*([+-]?)(.*)$/.exec(value)!
  return (m[1] === '-' ? -1 : 1) * points(flag, m[2]!, 'mm')
}

function defaultFormat(flags: LabelFlags): 'pdf' | 'text' | 'csv' {
  if (flags.format) return flags.format
  if (flags.output) {
    if (/\.csv$/i.test(flags.output)) return 'csv'
    if (/\.txt$/i.test(flags.output)) return 'text'
    return 'pdf'
  }
  return process.stdout.isTTY ? 'text' : 'pdf'
}

async function buildRequest(flags: LabelFlags, config: Config) {
  const { customTemplate, findTemplate, labelsPerSheet, parseLength } = await import('../labels/templates.js')
  const format = defaultFormat(flags)
  const country = (config.sender.country || config.country).toUpperCase()
  const letter = LETTER_COUNTRIES.has(country)
  const customFlags = { label: flags.label, grid: flags.grid, margin: flags.margin, pitch: flags.pitch, page: flags.page, padding: flags.padding }
  const isCustom = flags.template?.trim().toLowerCase() === 'custom'
  if (!isCustom) {
    const given = Object.entries(customFlags).find(([, v]) => v !== undefined)
    if (given) throw new UsageError(`--${given[0]} describes a custom sheet: add --template custom`)
  } else if (!flags.label || !flags.grid) {
    throw new UsageError('--template custom needs --label WxH and --grid CxR (e.g. --label 2.625x1in --grid 3x10)')
  }
  const template = isCustom
    ? customTemplate({ label: flags.label!, grid: flags.grid!, margin: flags.margin, pitch: flags.pitch, page: flags.page ?? (letter ? 'letter' : 'a4'), padding: flags.padding })
    : findTemplate(flags.template ?? (letter ? '5160' : 'L7160'))
  if (format !== 'pdf') {
    for (const [flag, v] of [['--start-at', flags.startAt], ['--outline', flags.outline || undefined], ['--offset-x', flags.offsetX], ['--offset-y', flags.offsetY]] as const) {
      if (v !== undefined) throw new UsageError(`${flag} only applies to --format pdf`)
    }
  }
  if (format === 'pdf' && !flags.output && process.stdout.isTTY) {
    throw new UsageError('a PDF would garble the terminal: add --output FILE, or pipe it (crm labels | lpr)')
  }
  const startAt = flags.startAt === undefined ? 1 : wholeNumber('--start-at', flags.startAt, 1, labelsPerSheet(template))
  return {
    format,
    household: flags.household,
    sort: flags.sort,
    template,
    pdf: {
      offset: { x: offset('--offset-x', flags.offsetX, config.label_offset_x, parseLength), y: offset('--offset-y', flags.offsetY, config.label_offset_y, parseLength) },
      outline: flags.outline,
      startAt,
    },
    text: {
      width: wholeNumber('--width', flags.width, 8),
      height: wholeNumber('--height', flags.height, 1),
      gap: wholeNumber('--gap', flags.gap, 0),
      displayWidth,
    },
  }
}

type Request = Awaited<ReturnType<typeof buildRequest>>
type Result = Awaited<ReturnType<typeof import('../labels/printLabels.js').printLabels>>

async function deliver(result: Result, flags: LabelFlags): Promise<void> {
  const out = result.output
  // A PDF needs at least one page; with nothing to print, print nothing (not a blank sheet).
  if (out.format === 'pdf' && out.pages === 0) return
  let data: string | Buffer
  if (out.format === 'csv') {
    const cells = out.rows.map((r) => (flags.raw ? r : r.map((c, i) => (i === 0 ? c : neutraliseCell(c)))))
    data = stringify([out.header, ...cells])
  } else {
    data = out.data
  }
  if (flags.output) {
    try {
      // Customer addresses: readable by the owner only.
      writeFileSync(flags.output, data, { mode: 0o600 })
      chmodSync(flags.output, 0o600)
    } catch (err) {
      throw new CrmError(`${flags.output}: cannot write (${(err as Error).message})`, 1, { cause: err })
    }
    return
  }
  if (typeof data === 'string') await writeOut(data)
  else await writeBuffer(data)
}

async function writeBuffer(data: Buffer): Promise<void> {
  if (!process.stdout.write(data)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve))
}

function report(result: Result, flags: LabelFlags, request: Request): void {
  const { selection, output } = result
  const n = selection.labels.length
  const where = flags.output ? ` to ${flags.output}` : ''
  if (output.format === 'pdf' && output.pages === 0) {
    say(`no labels: nothing written${flags.outline ? '' : ' (--outline alone prints a sheet of borders for a test print)'}`)
  } else if (output.format === 'pdf') {
    say(`${n} label${n === 1 ? '' : 's'} on ${output.pages} sheet${output.pages === 1 ? '' : 's'} of ${request.template.name}${where}`)
  } else {
    say(`${n} label${n === 1 ? '' : 's'}${where}`)
  }
  const skipped = selection.skipped.length
  if (skipped) {
    const parts = [
      selection.refusedPost ? `${selection.refusedPost} refused post` : '',
      selection.incomplete ? `${selection.incomplete} incomplete address${selection.incomplete === 1 ? '' : 'es'}` : '',
    ].filter(Boolean)
    say(`skipped ${skipped} customer${skipped === 1 ? '' : 's'}: ${parts.join(', ')}${flags.showSkipped ? '' : ' (--show-skipped lists them)'}`)
    if (flags.showSkipped) for (const s of selection.skipped) say(`  #${s.id} ${s.name}: ${s.reason}`)
  }
  for (const p of result.problems) {
    const who = `#${p.label.customerIds.join(', #')} ${p.label.name}`
    if (p.missingGlyphs?.length) warn(`${who}: the label font (DejaVu Sans) has no glyph for ${p.missingGlyphs.map((c) => JSON.stringify(c)).join(', ')}; it prints as a box`)
    if (!p.overflow.length) continue
    const how = output.format === 'pdf' ? 'does not fit the label even at 6 pt' : `does not fit in ${request.text.height} lines of ${request.text.width} columns`
    warn(`${who}: ${how}; left out: ${p.overflow.map((l) => JSON.stringify(l)).join(', ')}`)
  }
}
