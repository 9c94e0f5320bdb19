import { createRequire } from 'node:module'

// any-ascii's table is 550 kB of source: loaded on the first text that is not ASCII, not
// when this module loads, so a command given only ASCII never compiles it (issue 18).
// A synchronous require() of the ES module (Node 20.19+), because fold() is synchronous.
const loadPackage = createRequire(import.meta.url)
let anyAscii: ((text: string) => string) | undefined

function transliterate(text: string): string {
  anyAscii ??= (loadPackage('any-ascii') as typeof import('any-ascii')).default
  return anyAscii(text)
}

/**
 * The comparison form of a text: NFKC, transliterated to Latin (any-ascii turns
 * Đ, Ł, ø, ß and Cyrillic into ASCII, which plain accent stripping cannot),
 * case-folded, inner whitespace collapsed. "São Paulo" and "SAO  PAULO" fold alike.
 */
export function fold(value: string): string {
  const nfkc = value.normalize('NFKC')
  // ASCII needs no transliteration; most cells are ASCII, so skip the table lookup.
  // eslint-disable-next-line no-control-regex
  const latin = /^[\x00-\x7f]*$/.test(nfkc) ? nfkc : transliterate(nfkc)
  return latin.toLowerCase().replace(/\s+/g, ' ').trim()
}

/** fold(), or null for a null or blank value. */
export function foldOrNull(value: string | null | undefined): string | null {
  if (value == null) return null
  const f = fold(value)
  return f === '' ? null : f
}

/** Only the digits of a text: how phone numbers are compared in --search. */
export function digitsOf(value: string): string {
  return value.replace(/\D+/g, '')
}
