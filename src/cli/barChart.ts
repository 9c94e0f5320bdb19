import { displayWidth } from './output.js'

export interface Bar {
  label: string
  value: number
}

const EIGHTHS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉']

/**
 * A horizontal bar chart in text, scaled to the largest value, for a terminal:
 *   2026-01  ████████████▍ 1,234.00
 * Negative values draw no bar. `width` is the whole line's width in columns.
 */
export function barChart(bars: readonly Bar[], width: number, formatValue: (v: number) => string = (v) => v.toLocaleString('en')): string {
  if (bars.length === 0) return ''
  const labelWidth = Math.min(24, Math.max(...bars.map((b) => displayWidth(b.label))))
  const values = bars.map((b) => formatValue(b.value))
  const valueWidth = Math.max(...values.map((v) => v.length))
  const room = Math.max(10, width - labelWidth - valueWidth - 3)
  const max = Math.max(0, ...bars.map((b) => b.value))
  return bars
    .map((b, i) => {
      const eighths = max > 0 && b.value > 0 ? Math.round((b.value / max) * room * 8) : 0
      const bar = '█'.repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8]
      const label = fit(b.label, labelWidth)
      return `${label} ${bar}${' '.repeat(room - displayWidth(bar))} ${values[i]!.padStart(valueWidth)}`.trimEnd()
    })
    .join('\n') + '\n'
}

function fit(text: string, width: number): string {
  let out = text
  while (displayWidth(out) > width) out = [...out].slice(0, -2).join('') + '…'
  return out + ' '.repeat(Math.max(0, width - displayWidth(out)))
}

/** Money in minor units as text in the currency, e.g. 123456 USD → "1,234.56". */
export function formatMinor(cents: number, currency: string): string {
  let digits = 2
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    // an unknown code: cents
  }
  return (cents / 10 ** digits).toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}
