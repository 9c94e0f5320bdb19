import { graphemes } from '../text/graphemes.js'

/** Measures a text's width at a font size, in the same unit as the box. */
export type Measure = (text: string, size: number) => number

export interface FitOptions {
  /** Largest font size, in points. */
  maxSize: number
  /** Smallest legible size: below it a line is wrapped instead of shrunk further. */
  minSize: number
  /** Line pitch as a multiple of the font size. */
  leading: number
}

export interface PlacedLine {
  text: string
  size: number
}

export interface FitResult {
  lines: PlacedLine[]
  /** Text left out because it did not fit even at the minimum size, wrapped. */
  overflow: string[]
  /** Lines set smaller than the others to fit the width. */
  shrunk: number
  /** Lines broken in two or more. */
  wrapped: number
}

/**
 * Fits address lines into a box: one size for all lines (as large as `maxSize` allows),
 * a too-wide line shrunk on its own down to `minSize`, then wrapped at spaces (inside a
 * word only when one word alone is too wide). Lines that still do not fit are returned
 * in `overflow` so the caller reports them: nothing is clipped silently.
 */
export function fitLines(lines: string[], measure: Measure, box: { width: number; height: number }, options: FitOptions): FitResult {
  const { minSize, leading } = options
  let base = Math.max(minSize, Math.min(options.maxSize, box.height / (Math.max(1, lines.length) * leading)))
  for (;;) {
    const attempt = layoutAt(lines, base, measure, box.width, options)
    const height = attempt.lines.reduce((h, l) => h + l.size * leading, 0)
    if (height <= box.height + 1e-6) return attempt
    if (base > minSize) {
      base = Math.max(minSize, base - 0.25)
      continue
    }
    // Even at the minimum size the block is too tall: keep what fits, report the rest.
    const kept: PlacedLine[] = []
    let used = 0
    for (const l of attempt.lines) {
      if (used + l.size * leading > box.height + 1e-6) break
      kept.push(l)
      used += l.size * leading
    }
    return { ...attempt, lines: kept, overflow: attempt.lines.slice(kept.length).map((l) => l.text) }
  }
}

function layoutAt(lines: string[], base: number, measure: Measure, width: number, options: FitOptions): FitResult {
  const out: PlacedLine[] = []
  let shrunk = 0
  let wrapped = 0
  for (const line of lines) {
    const w = measure(line, base)
    if (w <= width) {
      out.push({ text: line, size: base })
      continue
    }
    // Width scales with size: the size that fits, rounded down to a tenth of a point.
    let size = Math.floor(((base * width) / w) * 10) / 10
    while (size >= options.minSize && measure(line, size) > width) size -= 0.1
    if (size >= options.minSize) {
      out.push({ text: line, size })
      shrunk++
      continue
    }
    const pieces = wrapText(line, (t) => measure(t, options.minSize) <= width)
    for (const p of pieces) out.push({ text: p, size: options.minSize })
    wrapped++
  }
  return { lines: out, overflow: [], shrunk, wrapped }
}

/**
 * Greedy word wrap: as many words per piece as `fits` allows; a single word too long
 * for a piece is broken between graphemes (never inside one).
 */
export function wrapText(text: string, fits: (t: string) => boolean): string[] {
  const words = text.split(/ +/).filter(Boolean)
  const pieces: string[] = []
  let current = ''
  for (const word of words) {
    const candidate = current ? `${current} ${word}` : word
    if (fits(candidate)) {
      current = candidate
      continue
    }
    if (current) pieces.push(current)
    if (fits(word)) {
      current = word
      continue
    }
    // Break the word itself.
    current = ''
    for (const { segment } of graphemes(word)) {
      if (current && !fits(current + segment)) {
        pieces.push(current)
        current = segment
      } else {
        current += segment
      }
    }
  }
  if (current) pieces.push(current)
  return pieces
}
