import { describe, expect, test } from 'vitest'
import { escapeText, foldLine, vcardOf } from '../../src/export/writeVcard.js'

describe('writeVcard', () => {
  test('folds at 75 octets without splitting a UTF-8 character', () => {
    const line = 'NOTE:' + 'ж'.repeat(100)
    const folded = foldLine(line)
    const parts = folded.split('\r\n').filter(Boolean)
    for (const p of parts) expect(Buffer.byteLength(p)).toBeLessThanOrEqual(75)
    expect(parts.map((p, i) => (i === 0 ? p : p.slice(1))).join('')).toBe(line)
    expect(foldLine('FN:Ann')).toBe('FN:Ann\r\n')
  })

  test('escapes backslash, comma, semicolon and newlines', () => {
    expect(escapeText('a\\b,c;d\r\ne\nf')).toBe('a\\\\b\\,c\\;d\\ne\\nf')
  })

  test('a card with only a company has FN from the company and an empty N', () => {
    expect(vcardOf({ company: 'Solo GmbH' })).toBe('BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Solo GmbH\r\nN:;;;;\r\nORG:Solo GmbH\r\nEND:VCARD\r\n')
  })
})
