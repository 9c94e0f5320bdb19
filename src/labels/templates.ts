import { UsageError } from '../errors.js'

/**
 * A sheet of labels laid out on a grid, every length in PDF points (1/72 in),
 * measured from the page's top-left corner (gLabels' convention).
 */
export interface LabelTemplate {
  name: string
  description: string
  page: { name: 'Letter' | 'A4' | 'custom'; width: number; height: number }
  label: { width: number; height: number; round: number }
  /** Columns and rows. */
  columns: number
  rows: number
  /** Top-left corner of the first label. */
  left: number
  top: number
  /** Distance from one label's left (top) edge to the next one's. */
  pitchX: number
  pitchY: number
  /** Space kept clear inside each label's edge (gLabels' markup margin). */
  padding: number
}

/** A label's rectangle on its page, in points from the top-left corner. */
export interface LabelRect {
  page: number
  x: number
  y: number
  width: number
  height: number
}

export const POINTS_PER: Record<string, number> = { pt: 1, in: 72, mm: 72 / 25.4, cm: 72 / 2.54 }
const inch = (v: number) => v * 72
const mm = (v: number) => v * POINTS_PER.mm!

export const LETTER = { name: 'Letter', width: 612, height: 792 } as const
export const A4 = { name: 'A4', width: mm(210), height: mm(297) } as const

type Sheet = Omit<LabelTemplate, 'name' | 'description'>

function sheet(page: LabelTemplate['page'], l: [w: number, h: number, round: number], grid: [nx: number, ny: number], at: [x0: number, y0: number, dx: number, dy: number], padding: number): Sheet {
  return { page, label: { width: l[0], height: l[1], round: l[2] }, columns: grid[0], rows: grid[1], left: at[0], top: at[1], pitchX: at[2], pitchY: at[3], padding }
}

/*
 * Geometry copied from the gLabels template database (MIT licence):
 * https://github.com/jimevins/glabels-qt templates/avery-us-templates.xml and
 * templates/avery-iso-templates.xml. Numbers are kept in the units gLabels writes them in
 * (inches for the US sheets; bare numbers in the ISO file are points), so they can be
 * checked against the source line by line. Other publishers give a few of these sheets
 * slightly differently (5160: left 0.1875 in, pitch 2.75 in): --offset-x/--offset-y calibrate.
 */
const SHEETS: Record<string, [description: string, Sheet]> = {
  '5160': ['Avery 5160 address labels',
    sheet(LETTER, [inch(2.625), inch(1), inch(0.0625)], [3, 10], [inch(0.15625), inch(0.5), inch(2.78125), inch(1)], inch(0.0625))],
  '5161': ['Avery 5161 address labels',
    sheet(LETTER, [inch(4), inch(1), inch(0.0625)], [2, 10], [inch(0.15625), inch(0.5), inch(4.1875), inch(1)], inch(0.0625))],
  '5162': ['Avery 5162 address labels',
    sheet(LETTER, [inch(4), inch(1.333333333), inch(0.0625)], [2, 7], [inch(0.15625), inch(0.833333333), inch(4.1875), inch(1.333333333)], inch(0.0625))],
  '5163': ['Avery 5163 shipping labels',
    sheet(LETTER, [inch(4), inch(2), inch(0.125)], [2, 5], [inch(0.1625), inch(0.5), inch(4.1875), inch(2)], inch(0.125))],
  '5164': ['Avery 5164 shipping labels',
    sheet(LETTER, [inch(4), inch(3.333333333), inch(0.125)], [2, 3], [inch(0.15625), inch(0.5), inch(4.1875), inch(3.333333333)], inch(0.125))],
  L7160: ['Avery L7160 mailing labels',
    sheet(A4, [181.4, 108.0, 5], [3, 7], [21.2, 43.9, 187.2, 108.0], 5)],
  L7161: ['Avery L7161 mailing labels',
    sheet(A4, [180.2, 132.6, 7], [3, 6], [21, 23, 186.9, 132.5], 5)],
  L7162: ['Avery L7162 mailing labels',
    sheet(A4, [280.9, 96.1, 5], [2, 8], [11.3, 36.8, 290.5, 96.1], 5)],
  L7163: ['Avery L7163 mailing labels',
    sheet(A4, [280.9, 108, 5], [2, 7], [9.5, 43, 292, 108], 5)],
  L7165: ['Avery L7165 address labels',
    sheet(A4, [280.8, 191.991, 0], [2, 4], [13.2378, 36.9638, 288.113, 191.991], 5.66929)],
}

export const TEMPLATES: readonly LabelTemplate[] = Object.entries(SHEETS).map(([name, [description, s]]) => ({ name, description, ...s }))

/** Labels on one sheet. */
export function labelsPerSheet(t: LabelTemplate): number {
  return t.columns * t.rows
}

/** A built-in template by name: "5160", "avery-5160", "L7160", "l7160" all work. */
export function findTemplate(name: string): LabelTemplate {
  const key = name.trim().toUpperCase().replace(/^AVERY[-_ ]?/, '')
  const t = TEMPLATES.find((x) => x.name.toUpperCase() === key)
  if (!t) throw new UsageError(`--template: no template "${name}" (crm labels --list-templates shows them; or --template custom)`)
  return t
}

/**
 * Where the label in position `index` (0-based, counted across all sheets, row by row)
 * lies. `offset` shifts everything to calibrate a printer.
 */
export function labelRect(t: LabelTemplate, index: number, offset = { x: 0, y: 0 }): LabelRect {
  const perSheet = labelsPerSheet(t)
  const onSheet = index % perSheet
  const col = onSheet % t.columns
  const row = Math.floor(onSheet / t.columns)
  return {
    page: Math.floor(index / perSheet),
    x: t.left + col * t.pitchX + offset.x,
    y: t.top + row * t.pitchY + offset.y,
    width: t.label.width,
    height: t.label.height,
  }
}

/** "2.625in", "66.7mm", "12pt", "1.5cm" → points; a bare number takes `defaultUnit`. */
export function parseLength(flag: string, text: string, defaultUnit?: string): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(in|mm|cm|pt)?\s*$/i.exec(text)
  const unit = m?.[2]?.toLowerCase() ?? defaultUnit
  if (!m || !unit) throw new UsageError(`${flag}: "${text}" is not a length (e.g. 2.625in, 66.7mm, 12pt)`)
  return Number(m[1]) * POINTS_PER[unit]!
}

/** "2.625x1in" or "66.7mmx25.4mm" → [width, height] in points; a unit at the end serves both. */
export function parsePair(flag: string, text: string, units = true): [number, number] {
  const parts = text.split(/[x×,]/i)
  if (parts.length !== 2) throw new UsageError(`${flag}: "${text}" is not a pair (e.g. ${units ? '2.625x1in' : '3x10'})`)
  if (!units) {
    const n = parts.map((p) => (/^\s*\d+\s*$/.test(p) ? Number(p) : NaN))
    if (n.some((v) => !Number.isInteger(v) || v < 1)) throw new UsageError(`${flag}: "${text}" is not COLUMNSxROWS (e.g. 3x10)`)
    return [n[0]!, n[1]!]
  }
  const unit = /(in|mm|cm|pt)\s*$/i.exec(parts[1]!)?.[1]
  return [parseLength(flag, parts[0]!, unit), parseLength(flag, parts[1]!)]
}

export interface CustomSheetSpec {
  /** "2.625x1in" */
  label: string
  /** "3x10" */
  grid: string
  /** "0.15625in,0.5in": left and top edge of the first label. */
  margin?: string
  /** "2.78125x1in": distance between label origins; default: the label size (no gap). */
  pitch?: string
  /** letter, a4 or "8.5x11in". */
  page: string
  /** Clear space inside each label; default 0.0625 in. */
  padding?: string
}

/** A sheet described on the command line (`--template custom --label 2.625x1in --grid 3x10 …`). */
export function customTemplate(spec: CustomSheetSpec): LabelTemplate {
  const [width, height] = parsePair('--label', spec.label)
  const [columns, rows] = parsePair('--grid', spec.grid, false)
  const [left, top] = spec.margin ? parsePair('--margin', spec.margin) : [0, 0]
  const [pitchX, pitchY] = spec.pitch ? parsePair('--pitch', spec.pitch) : [width, height]
  const page = pageSize(spec.page)
  const padding = spec.padding ? parseLength('--padding', spec.padding) : inch(0.0625)
  if (pitchX < width - 0.01 || pitchY < height - 0.01) throw new UsageError('--pitch: labels would overlap (the pitch is smaller than the label)')
  const right = left + (columns - 1) * pitchX + width
  const bottom = top + (rows - 1) * pitchY + height
  if (right > page.width + 0.5 || bottom > page.height + 0.5) {
    throw new UsageError(
      `--template custom: ${columns}x${rows} labels end at ${fmtIn(right)} × ${fmtIn(bottom)}, beyond the ${page.name} page (${fmtIn(page.width)} × ${fmtIn(page.height)})`,
    )
  }
  if (padding * 2 >= Math.min(width, height)) throw new UsageError('--padding: leaves no room inside the label')
  return {
    name: 'custom',
    description: `custom ${fmtIn(width)} × ${fmtIn(height)}, ${columns}×${rows} on ${page.name}`,
    page,
    label: { width, height, round: 0 },
    columns,
    rows,
    left,
    top,
    pitchX,
    pitchY,
    padding,
  }
}

function fmtIn(points: number): string {
  return `${Number((points / 72).toFixed(3))} in`
}

export function pageSize(text: string): LabelTemplate['page'] {
  const t = text.trim().toLowerCase()
  if (t === 'letter') return { ...LETTER }
  if (t === 'a4') return { ...A4 }
  const [width, height] = parsePair('--page', text)
  return { name: 'custom', width, height }
}
