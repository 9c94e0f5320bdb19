import { describe, expect, test } from 'vitest'
import { MM, PUBLISHED } from './published.js'
import { customTemplate, findTemplate, labelRect, labelsPerSheet, parseLength, TEMPLATES } from '../../src/labels/templates.js'

describe('label templates', () => {
  test.each(Object.entries(PUBLISHED))('%s matches the published geometry', (name, p) => {
    const t = findTemplate(name)
    // Published millimetres are rounded to 0.01 mm; inches are exact.
    const tol = p.unit === MM ? 0.02 * MM : 0.001
    expect(Math.abs(t.label.width - p.w * p.unit)).toBeLessThan(tol)
    expect(Math.abs(t.label.height - p.h * p.unit)).toBeLessThan(tol)
    expect([t.columns, t.rows]).toEqual([p.nx, p.ny])
    expect(Math.abs(t.left - p.left * p.unit)).toBeLessThan(tol)
    expect(Math.abs(t.top - p.top * p.unit)).toBeLessThan(tol)
    expect(Math.abs(t.pitchX - p.dx * p.unit)).toBeLessThan(tol)
    expect(Math.abs(t.pitchY - p.dy * p.unit)).toBeLessThan(tol)
    // The last label of the sheet, worked out from the published numbers.
    const last = labelRect(t, labelsPerSheet(t) - 1)
    expect(Math.abs(last.x - (p.left + (p.nx - 1) * p.dx) * p.unit)).toBeLessThan(tol * p.nx)
    expect(Math.abs(last.y - (p.top + (p.ny - 1) * p.dy) * p.unit)).toBeLessThan(tol * p.ny)
  })

  test('the ten sheets the issue names exist, each fitting its page without overlaps', () => {
    expect(TEMPLATES.map((t) => t.name)).toEqual(['5160', '5161', '5162', '5163', '5164', 'L7160', 'L7161', 'L7162', 'L7163', 'L7165'])
    for (const t of TEMPLATES) {
      const last = labelRect(t, labelsPerSheet(t) - 1)
      expect(last.x + last.width, t.name).toBeLessThanOrEqual(t.page.width + 0.5)
      expect(last.y + last.height, t.name).toBeLessThanOrEqual(t.page.height + 0.5)
      expect(t.pitchX, t.name).toBeGreaterThanOrEqual(t.label.width - 0.2)
      expect(t.pitchY, t.name).toBeGreaterThanOrEqual(t.label.height - 0.2)
      expect(t.page.name, t.name).toBe(t.name.startsWith('L') ? 'A4' : 'Letter')
    }
  })

  test('positions run row by row and on to the next sheet', () => {
    const t = findTemplate('avery-5160')
    expect(labelRect(t, 1)).toMatchObject({ page: 0, x: t.left + t.pitchX, y: t.top })
    expect(labelRect(t, 3)).toMatchObject({ page: 0, x: t.left, y: t.top + t.pitchY })
    expect(labelRect(t, 30)).toMatchObject({ page: 1, x: t.left, y: t.top })
    expect(labelRect(t, 0, { x: 2, y: -3 })).toMatchObject({ x: t.left + 2, y: t.top - 3 })
  })

  test('template names are forgiving; an unknown one names the way to the list', () => {
    expect(findTemplate('l7160').name).toBe('L7160')
    expect(() => findTemplate('9999')).toThrow(/--list-templates/)
  })

  test('a custom sheet from the command line', () => {
    const t = customTemplate({ label: '2.625x1in', grid: '3x10', margin: '0.15625in,0.5in', pitch: '2.78125x1in', page: 'letter' })
    const ref = findTemplate('5160')
    for (const k of ['left', 'top', 'pitchX', 'pitchY', 'columns', 'rows'] as const) expect(t[k]).toBeCloseTo(ref[k], 6)
    expect(t.label.width).toBeCloseTo(ref.label.width, 6)
    expect(customTemplate({ label: '70x37mm', grid: '3x8', page: 'a4' }).pitchX).toBeCloseTo(70 * MM, 6)
  })

  test('a custom sheet that leaves the page, or overlaps, is refused', () => {
    expect(() => customTemplate({ label: '3x1in', grid: '3x10', page: 'letter' })).toThrow(/beyond the Letter page/)
    expect(() => customTemplate({ label: '2x1in', grid: '3x10', pitch: '1.5x1in', page: 'letter' })).toThrow(/overlap/)
    expect(() => customTemplate({ label: '2x1', grid: '3x10', page: 'letter' })).toThrow(/not a length/)
    expect(() => customTemplate({ label: '2x1in', grid: '3', page: 'letter' })).toThrow(/--grid/)
  })

  test('lengths in inches, millimetres, centimetres and points', () => {
    expect(parseLength('--x', '1in')).toBe(72)
    expect(parseLength('--x', '25.4mm')).toBeCloseTo(72, 9)
    expect(parseLength('--x', '2.54cm')).toBeCloseTo(72, 9)
    expect(parseLength('--x', '12pt')).toBe(12)
    expect(parseLength('--x', '3', 'mm')).toBeCloseTo(3 * MM, 9)
    expect(() => parseLength('--x', 'abc')).toThrow('--x: "abc" is not a length')
  })
})
