import { signedPoints } from '../nps/score.js'
import { displayWidth } from './output.js'

export interface TrendPoint {
  label: string
  n: number
  nps: number | null
}

const SPARKS = '▁▂▃▄▅▆▇█'

/** One character per period on the −100…+100 scale; a blank where nobody answered. */
export function sparkline(points: readonly TrendPoint[]): string {
  return points
    .map((p) => (p.nps === null ? ' ' : SPARKS[Math.min(7, Math.floor(((p.nps + 100) / 200) * 8))]!))
    .join('')
}

/**
 * A bar per period, growing left of the axis for negative scores and right for positive:
 *   2026-10  ████████│            −40  n=12
 *   2026-11          │██████     +30  n=44
 * `half` is the width of each side in characters (100 points).
 */
export function trendChart(points: readonly TrendPoint[], half = 20): string {
  if (points.length === 0) return ''
  const labelWidth = Math.max(...points.map((p) => displayWidth(p.label)))
  const lines = points.map((p) => {
    const label = p.label + ' '.repeat(labelWidth - displayWidth(p.label))
    if (p.nps === null) return `${label}  ${' '.repeat(half)}│${' '.repeat(half)}  ${'—'.padStart(6)}  n=0`
    const cells = Math.round((Math.abs(p.nps) / 100) * half)
    const left = p.nps < 0 ? ' '.repeat(half - cells) + '█'.repeat(cells) : ' '.repeat(half)
    const right = p.nps > 0 ? '█'.repeat(cells) + ' '.repeat(half - cells) : ' '.repeat(half)
    return `${label}  ${left}│${right}  ${signedPoints(p.nps).padStart(6)}  n=${p.n}`
  })
  const first = points.find((p) => p.nps !== null)
  const last = [...points].reverse().find((p) => p.nps !== null)
  const span = first && last ? `  (${signedPoints(first.nps!)} → ${signedPoints(last.nps!)})` : ''
  return `${lines.join('\n')}\ntrend ${sparkline(points)}${span}\n`
}
