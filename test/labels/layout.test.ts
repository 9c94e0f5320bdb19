import { describe, expect, test } from 'vitest'
import { visualRuns } from '../../src/labels/bidiRuns.js'
import { fitLines, wrapText } from '../../src/labels/fitLines.js'
import { renderTextLabels } from '../../src/labels/textLabels.js'
import { displayWidth } from '../../src/cli/output.js'

// A monospaced measure: every character half the font size wide.
const mono = (text: string, size: number) => [...text].length * size * 0.5
const opts = { maxSize: 10, minSize: 6, leading: 1.2 }

describe('fitLines', () => {
  test('short lines keep the largest size', () => {
    const r = fitLines(['Jane Roe', '1 Main St'], mono, { width: 100, height: 60 }, opts)
    expect(r.lines).toEqual([{ text: 'Jane Roe', size: 10 }, { text: '1 Main St', size: 10 }])
    expect(r).toMatchObject({ overflow: [], shrunk: 0, wrapped: 0 })
  })

  test('many lines share a smaller size so they fit the height', () => {
    const r = fitLines(['a', 'b', 'c', 'd', 'e', 'f'], mono, { width: 100, height: 50 }, opts)
    expect(r.lines.every((l) => l.size === 50 / (6 * 1.2))).toBe(true)
  })

  test('a too-wide line is shrunk on its own, not below the minimum', () => {
    // 24 characters at 10 pt are 120 wide; at 8.3 pt they are 99.6.
    const r = fitLines(['Jane Roe', 'x'.repeat(24)], mono, { width: 100, height: 60 }, opts)
    expect(r.lines[0]!.size).toBe(10)
    expect(r.lines[1]!.size).toBeCloseTo(8.3, 5)
    expect(mono(r.lines[1]!.text, r.lines[1]!.size)).toBeLessThanOrEqual(100)
    expect(r.shrunk).toBe(1)
  })

  test('below the minimum size a line is wrapped at spaces instead', () => {
    const long = 'Apartment 1204, Very Long Street Name Boulevard'
    const r = fitLines(['Jane Roe', long], mono, { width: 60, height: 60 }, opts)
    expect(r.wrapped).toBe(1)
    const pieces = r.lines.slice(1)
    expect(pieces.map((l) => l.text).join(' ')).toBe(long)
    for (const l of pieces) {
      expect(l.size).toBe(6)
      expect(mono(l.text, 6)).toBeLessThanOrEqual(60)
    }
  })

  test('what does not fit even wrapped at the minimum size is returned, never dropped silently', () => {
    const lines = ['one', 'two', 'three', 'four', 'five', 'six', 'seven']
    const r = fitLines(lines, mono, { width: 100, height: 30 }, opts)
    expect(r.lines.length).toBe(4) // 4 × 6 pt × 1.2 = 28.8
    expect(r.overflow).toEqual(['five', 'six', 'seven'])
    expect([...r.lines.map((l) => l.text), ...r.overflow]).toEqual(lines)
  })

  test('wrapText breaks a single over-long word between graphemes', () => {
    expect(wrapText('abcdefghij', (t) => t.length <= 4)).toEqual(['abcd', 'efgh', 'ij'])
    expect(wrapText('Nguyễn Thị Lan', (t) => [...new Intl.Segmenter().segment(t)].length <= 6)).toEqual(['Nguyễn', 'Thị', 'Lan'])
  })
})

describe('visualRuns', () => {
  test('a left-to-right line is one run', () => {
    expect(visualRuns('Иван Петров')).toEqual({ rtl: false, runs: [{ text: 'Иван Петров', rtl: false }] })
  })

  test('a Persian line is right to left, its digits a left-to-right run drawn at the left end', () => {
    const v = visualRuns('خیابان ولیعصر ۱۲')
    expect(v.rtl).toBe(true)
    expect(v.runs).toEqual([
      { text: '۱۲', rtl: false },
      { text: 'خیابان ولیعصر ', rtl: true },
    ])
  })

  test('a Latin word inside a Persian line sits where the bidi algorithm puts it', () => {
    const v = visualRuns('شرکت ACME تهران')
    expect(v.rtl).toBe(true)
    // Paper order: the last logical word is leftmost, the first is rightmost.
    expect(v.runs).toEqual([
      { text: ' تهران', rtl: true },
      { text: 'ACME', rtl: false },
      { text: 'شرکت ', rtl: true },
    ])
    expect(v.runs.find((r) => r.text === 'ACME')!.rtl).toBe(false)
  })
})

describe('renderTextLabels', () => {
  test('every label is exactly HEIGHT lines, then GAP blank lines', () => {
    const r = renderTextLabels([['Jane Roe', '1 Main St'], ['Анна', 'ул. Тверская']], { width: 20, height: 4, gap: 1 }, displayWidth)
    expect(r.text).toBe('Jane Roe\n1 Main St\n\n\n\nАнна\nул. Тверская\n\n\n\n')
    expect(r.problems).toEqual([])
  })

  test('lines are wrapped by display width: wide characters count two columns', () => {
    const r = renderTextLabels([['山田 太郎 様', 'Nguyễn Thị Lan']], { width: 8, height: 5, gap: 0 }, displayWidth)
    expect(r.text.split('\n').slice(0, 5)).toEqual(['山田', '太郎 様', 'Nguyễn', 'Thị Lan', ''])
    for (const line of r.text.split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(8)
  })

  test('text beyond the label height is reported', () => {
    const r = renderTextLabels([['a', 'b'], ['1', '2', '3', '4']], { width: 10, height: 3, gap: 0 }, displayWidth)
    expect(r.text).toBe('a\nb\n\n1\n2\n3\n')
    expect(r.problems).toEqual([{ index: 1, overflow: ['4'] }])
  })
})
