import type { Config } from '../config/config.js'
import type { CrmDb } from '../db/openDb.js'
import type { FilterSpec } from '../query/customerFilter.js'
import { resolveSegment } from '../query/segments.js'
import { addTemplateLines, type LineTemplate } from './lineTemplates.js'
import type { PdfOptions } from './pdfLabels.js'
import { selectRecipients, type LabelEntry, type LabelSelection, type LabelSort } from './selectRecipients.js'
import type { LabelTemplate } from './templates.js'
import { renderTextLabels, type TextLabelOptions } from './textLabels.js'

export type LabelFormat = 'pdf' | 'text' | 'csv'

export interface LabelsRequest {
  spec: FilterSpec
  format: LabelFormat
  household: boolean
  sort: LabelSort
  template: LabelTemplate
  pdf: PdfOptions
  text: TextLabelOptions & { displayWidth: (t: string) => number }
  /** `--line` templates: extra lines under each address. */
  lineTemplates?: LineTemplate[]
  now: Date
}

/** A label whose text did not fit, and what was left out. */
export interface LabelProblem {
  label: LabelEntry
  overflow: string[]
  /** PDF: characters the embedded font cannot draw. */
  missingGlyphs?: string[]
}

export type LabelsOutput =
  | { format: 'pdf'; data: Buffer; pages: number; shrunk: number; wrapped: number }
  | { format: 'text'; data: string }
  | { format: 'csv'; header: string[]; rows: string[][] }

export interface LabelsResult {
  selection: LabelSelection
  output: LabelsOutput
  problems: LabelProblem[]
}

/** The sender's country, whose country line labels leave out. */
export function homeCountry(config: Pick<Config, 'country' | 'sender'>): string {
  return (config.sender.country || config.country).toUpperCase()
}

/**
 * Mailing labels for the customers a filter selects, rendered as a PDF on a sheet
 * template, fixed-width text, or CSV rows for mail merge. Returns the output and what
 * was skipped or did not fit; it prints nothing.
 */
export async function printLabels(crm: CrmDb, config: Config, req: LabelsRequest): Promise<LabelsResult> {
  const spec = await resolveSegment(crm.db, req.spec)
  const selection = await selectRecipients(crm.db, spec, { now: req.now, config }, {
    homeCountry: homeCountry(config),
    household: req.household,
    sort: req.sort,
  })
  if (req.lineTemplates?.length) await addTemplateLines(crm.db, selection.labels, req.lineTemplates, config.currency)
  const lines = selection.labels.map((l) => l.lines)
  if (req.format === 'pdf') {
    // pdfkit and the font load only here, so `crm query` never pays for them.
    const { renderPdf } = await import('./pdfLabels.js')
    const r = await renderPdf(lines, req.template, req.pdf)
    return {
      selection,
      output: { format: 'pdf', data: r.pdf, pages: r.pages, shrunk: r.shrunk, wrapped: r.wrapped },
      problems: r.problems.map((p) => ({ label: selection.labels[p.index]!, overflow: p.overflow, missingGlyphs: p.missingGlyphs })),
    }
  }
  if (req.format === 'text') {
    const r = renderTextLabels(lines, req.text, req.text.displayWidth)
    return {
      selection,
      output: { format: 'text', data: r.text },
      problems: r.problems.map((p) => ({ label: selection.labels[p.index]!, overflow: p.overflow })),
    }
  }
  const width = Math.max(1, ...lines.map((l) => l.length))
  const header = ['customer_ids', 'name', ...Array.from({ length: width }, (_, i) => `line${i + 1}`), 'postal_code', 'country']
  const rows = selection.labels.map((l) => [
    l.customerIds.join(' '),
    l.name,
    ...Array.from({ length: width }, (_, i) => l.lines[i] ?? ''),
    l.postalCode,
    l.country,
  ])
  return { selection, output: { format: 'csv', header, rows }, problems: [] }
}
