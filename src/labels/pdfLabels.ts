import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import PDFDocument from 'pdfkit'
import { ARABIC_SCRIPT, visualRuns, type DirectionRun } from './bidiRuns.js'
import { fitLines, type FitOptions } from './fitLines.js'
import { labelRect, labelsPerSheet, type LabelTemplate } from './templates.js'

export interface PdfOptions {
  /** Printer calibration, in points (right and down are positive). */
  offset: { x: number; y: number }
  /** Draw every label's border, for a test print on plain paper. */
  outline: boolean
  /** First label position on the first sheet (1-based): a partly used sheet. */
  startAt: number
}

export interface PdfProblem {
  /** Position in the label list (0-based). */
  index: number
  overflow: string[]
  /** Characters the font has no glyph for (they print as a box). */
  missingGlyphs: string[]
}

export interface PdfResult {
  pdf: Buffer
  pages: number
  problems: PdfProblem[]
  shrunk: number
  wrapped: number
}

const require = createRequire(import.meta.url)
/** DejaVu Sans covers Latin, Cyrillic, Vietnamese and Arabic script (Persian), and extracts as text. */
export const FONT_PATH = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf', 'DejaVuSans.ttf')

const LEADING = 1.2
/** Ascent share of the line box, so a line's glyphs stay inside it (DejaVu: ascent 0.93, descent 0.24 em). */
const BASELINE = 0.95

/** Sizes by label height: small address labels get 10 pt, shipping labels up to 14 pt. */
function fitOptions(t: LabelTemplate): FitOptions {
  const inner = t.label.height - 2 * t.padding
  return { maxSize: inner >= 130 ? 14 : inner >= 80 ? 12 : 10, minSize: 6, leading: LEADING }
}

/**
 * Lays labels out on sheets as a PDF with DejaVu Sans embedded (subset): each line split
 * into direction runs, right-to-left labels right-aligned, every line fitted to its label.
 */
export async function renderPdf(labels: string[][], template: LabelTemplate, options: PdfOptions): Promise<PdfResult> {
  const doc = new PDFDocument({
    size: [template.page.width, template.page.height],
    margin: 0,
    autoFirstPage: false,
    info: { Title: 'Mailing labels', Creator: 'crm' },
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve())
    doc.on('error', reject)
  })
  doc.registerFont('label', FONT_PATH)
  doc.font('label')
  // pdfkit keeps the fontkit font it opened; asking it saves opening the file twice.
  const fontkitFont = (doc as unknown as { _font?: { font?: { hasGlyphForCodePoint?: (cp: number) => boolean } } })._font?.font
  const missingGlyphs = (lines: string[]): string[] => {
    if (typeof fontkitFont?.hasGlyphForCodePoint !== 'function') return []
    const missing = new Set<string>()
    for (const c of lines.join('')) {
      if (/[\p{White_Space}\p{Cc}\p{Cf}]/u.test(c)) continue
      if (!fontkitFont.hasGlyphForCodePoint(c.codePointAt(0)!)) missing.add(c)
    }
    return [...missing]
  }

  // Widths scale with the size: lay out each text once, at 1 pt, and remember it.
  const unitWidths = new Map<string, number>()
  const runs = new Map<string, ReturnType<typeof visualRuns>>()
  const runsOf = (text: string) => {
    let v = runs.get(text)
    if (!v) runs.set(text, (v = visualRuns(text)))
    return v
  }
  const runWidth = (run: DirectionRun, size: number): number => {
    const key = `${run.rtl ? 'r' : 'l'}${run.text}`
    let w = unitWidths.get(key)
    if (w === undefined) {
      doc.fontSize(1)
      w = !run.rtl && ARABIC_SCRIPT.test(run.text)
        ? [...run.text].reduce((sum, c) => sum + doc.widthOfString(c), 0)
        : doc.widthOfString(run.text, run.rtl ? { features: [] } : {})
      unitWidths.set(key, w)
    }
    return w * size
  }
  const measure = (text: string, size: number) => runsOf(text).runs.reduce((w, r) => w + runWidth(r, size), 0)

  const fit = fitOptions(template)
  const problems: PdfProblem[] = []
  let shrunk = 0
  let wrapped = 0
  let page = -1
  const first = options.startAt - 1
  const total = labels.length === 0 ? 0 : first + labels.length
  const addPage = () => {
    doc.addPage()
    page++
    if (options.outline) drawOutlines(doc, template, options.offset)
  }
  for (let i = 0; i < labels.length; i++) {
    const rect = labelRect(template, first + i, options.offset)
    while (rect.page > page) addPage()
    const box = { x: rect.x + template.padding, y: rect.y + template.padding, width: rect.width - 2 * template.padding, height: rect.height - 2 * template.padding }
    const result = fitLines(labels[i]!, measure, box, fit)
    shrunk += result.shrunk
    wrapped += result.wrapped
    const missing = missingGlyphs(labels[i]!)
    if (result.overflow.length || missing.length) problems.push({ index: i, overflow: result.overflow, missingGlyphs: missing })
    // The label's direction is its first strong letter's (the name's): a Persian label is right-aligned.
    const rtl = visualRuns(labels[i]!.join('\n')).rtl
    const height = result.lines.reduce((h, l) => h + l.size * LEADING, 0)
    let top = box.y + (box.height - height) / 2
    for (const line of result.lines) {
      const lineRuns = runsOf(line.text).runs
      const width = measure(line.text, line.size)
      let x = rtl ? box.x + box.width - width : box.x
      const baseline = top + line.size * (BASELINE + (LEADING - 1) / 2)
      doc.fontSize(line.size)
      for (const run of lineRuns) {
        drawRun(doc, run, x, baseline)
        x += runWidth(run, line.size)
      }
      top += line.size * LEADING
    }
  }
  // A blank sheet count still shows the outlines when asked: one page for a test print.
  if (labels.length === 0 && options.outline) addPage()
  doc.end()
  await done
  return { pdf: Buffer.concat(chunks), pages: total === 0 ? page + 1 : Math.ceil(total / labelsPerSheet(template)), problems, shrunk, wrapped }
}

function drawRun(doc: PDFKit.PDFDocument, run: DirectionRun, x: number, baseline: number): void {
  const opts = { lineBreak: false, baseline: 'alphabetic' as const }
  if (!run.rtl && ARABIC_SCRIPT.test(run.text)) {
    // Persian digits (۱۲) form a left-to-right run, but the shaper would reverse a
    // run of Arabic-script characters: draw them one at a time.
    for (const c of run.text) {
      doc.text(c, x, baseline, opts)
      x += doc.widthOfString(c)
    }
    return
  }
  // A right-to-left run is laid out whole (`features` set), so the shaper orders its
  // words; pdfkit's default lays out word by word, which would leave them left to right.
  const features = run.rtl ? { features: [] as PDFKit.Mixins.OpenTypeFeatures[] } : {}
  if (run.rtl) mapLigaturesReversed(doc, run.text)
  doc.text(run.text, x, baseline, { ...opts, ...features })
}

/** The parts of pdfkit's embedded font this file reaches into (pdfkit 0.20). */
interface EmbeddedFontInternals {
  layout(text: string, features: unknown[]): { glyphs: Array<{ id: number; codePoints: number[] }> }
  subset: { includeGlyph(id: number): number }
  unicode: Array<number[] | undefined>
}

/**
 * A reader extracting a right-to-left run reverses it character by character, so a
 * ligature glyph (Persian lam-alef in پلاک) whose text map lists its letters in logical
 * order would come out swapped (پالک). Map such glyphs to their letters reversed before
 * pdfkit records them (it keeps the first mapping it sees for a glyph).
 */
function mapLigaturesReversed(doc: PDFKit.PDFDocument, text: string): void {
  const font = (doc as unknown as { _font?: Partial<EmbeddedFontInternals> })._font
  if (typeof font?.layout !== 'function' || typeof font.subset?.includeGlyph !== 'function' || !Array.isArray(font.unicode)) return
  for (const glyph of font.layout(text, []).glyphs) {
    if (glyph.codePoints.length < 2) continue
    const gid = font.subset.includeGlyph(glyph.id)
    font.unicode[gid] ??= [...glyph.codePoints].reverse()
  }
}

function drawOutlines(doc: PDFKit.PDFDocument, t: LabelTemplate, offset: { x: number; y: number }): void {
  doc.save().lineWidth(0.5).strokeColor('#888888')
  for (let i = 0; i < labelsPerSheet(t); i++) {
    const r = labelRect(t, i, offset)
    if (t.label.round > 0) doc.roundedRect(r.x, r.y, r.width, r.height, t.label.round).stroke()
    else doc.rect(r.x, r.y, r.width, r.height).stroke()
  }
  doc.restore()
}
