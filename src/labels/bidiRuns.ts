import { createRequire } from 'node:module'
import type { Bidi } from 'bidi-js'

// bidi-js is CommonJS with a default-export type file: under NodeNext, require it.
const require = createRequire(import.meta.url)
const bidiFactory = require('bidi-js') as () => Bidi
let bidi: Bidi | undefined

/** A stretch of one line drawn in one direction. */
export interface DirectionRun {
  text: string
  rtl: boolean
}

export interface VisualLine {
  /** True when the line's base direction is right to left (its first strong letter is). */
  rtl: boolean
  /** Runs left to right as they appear on paper; each run's text in logical order. */
  runs: DirectionRun[]
}

/**
 * Splits a line into direction runs with the Unicode bidi algorithm (bidi-js) and orders
 * them as they appear on paper (rule L2, applied to whole runs). A PDF library shapes and
 * reverses a right-to-left run itself; it cannot order runs, nor the words of a mixed line.
 */
export function visualRuns(line: string): VisualLine {
  // Most lines hold no right-to-left character at all: skip the algorithm for them.
  if (!MAYBE_RTL.test(line)) return { rtl: false, runs: [{ text: line, rtl: false }] }
  bidi ??= bidiFactory()
  const levels = bidi.getEmbeddingLevels(line)
  const base = levels.paragraphs[0]?.level ?? 0
  // Mirrored characters: "(" in a right-to-left run is drawn as ")".
  const mirrored = bidi.getMirroredCharactersMap(line, levels.levels)
  const chars = [...line].length === line.length ? line.split('') : null
  let text = line
  if (mirrored.size && chars) {
    for (const [i, c] of mirrored) chars[i] = c
    text = chars.join('')
  }
  const runs: Array<{ text: string; level: number }> = []
  let start = 0
  for (let i = 1; i <= text.length; i++) {
    if (i === text.length || levels.levels[i] !== levels.levels[start]) {
      // Never split a surrogate pair: its halves share a level anyway.
      runs.push({ text: text.slice(start, i), level: levels.levels[start]! })
      start = i
    }
  }
  const max = Math.max(0, ...runs.map((r) => r.level))
  const lowestOdd = Math.min(...runs.map((r) => r.level).filter((l) => l % 2 === 1), max + 1)
  for (let level = max; level >= lowestOdd; level--) {
    for (let i = 0; i < runs.length; ) {
      if (runs[i]!.level < level) {
        i++
        continue
      }
      let j = i
      while (j < runs.length && runs[j]!.level >= level) j++
      const reversed = runs.slice(i, j).reverse()
      runs.splice(i, j - i, ...reversed)
      i = j
    }
  }
  return { rtl: base % 2 === 1, runs: runs.map((r) => ({ text: r.text, rtl: r.level % 2 === 1 })) }
}

/** Right-to-left scripts (Hebrew to NKo, presentation forms, historic RTL planes) and RTL controls. */
const MAYBE_RTL = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF\u200F\u202B\u202E\u2067]|\uD802|\uD803|\uD83A|\uD83B/

/** Arabic-script characters (Persian digits included), which a shaper lays out right to left. */
export const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/
