import { wrapText } from './fitLines.js'

export interface TextLabelOptions {
  /** Columns per label. */
  width: number
  /** Lines per label. */
  height: number
  /** Blank lines between labels (the gap on a continuous roll). */
  gap: number
}

export interface TextLabelProblem {
  index: number
  /** Text that did not fit in the label's lines. */
  overflow: string[]
}

/**
 * Fixed-width labels for line printers and continuous rolls: every label exactly
 * `height` lines (blank-padded), then `gap` blank lines, so labels keep their pitch.
 * Lines wider than `width` columns (wide CJK characters count two) are wrapped at
 * spaces; what does not fit in `height` lines is left out and returned as a problem.
 */
export function renderTextLabels(labels: string[][], options: TextLabelOptions, displayWidth: (t: string) => number): { text: string; problems: TextLabelProblem[] } {
  const out: string[] = []
  const problems: TextLabelProblem[] = []
  labels.forEach((lines, index) => {
    const pieces = lines.flatMap((l) => (displayWidth(l) <= options.width ? [l] : wrapText(l, (t) => displayWidth(t) <= options.width)))
    const kept = pieces.slice(0, options.height)
    if (pieces.length > options.height) problems.push({ index, overflow: pieces.slice(options.height) })
    for (let i = 0; i < options.height; i++) out.push(kept[i] ?? '')
    // A gap after every label, the last one too: the next print job starts on a fresh label.
    for (let i = 0; i < options.gap; i++) out.push('')
  })
  return { text: out.map((l) => l + '\n').join(''), problems }
}
