/**
 * Spellings that mean "nothing here" in the optional descriptive fields of a real export:
 * they import as an empty field, never as a value and never as an error. Anything else a
 * parser cannot read is still an error.
 *
 * - any descriptive field: N/A, NA, -, --, none, unknown, ?, (none)
 * - gender: also Outlook's Unspecified and Not specified, U, and the same in the languages
 *   of the gender table (keine Angabe, non spécifié, no especificado, не указан …)
 * - dates: Outlook's 0/0/00 and 00/00/0000, and every other all-zero date (0000-00-00, 00.00.0000)
 */
export type EmptyKind = 'text' | 'gender' | 'date'

const ANY = ['n/a', 'na', 'n.a', 'n.a.', '-', '--', '—', 'none', '(none)', 'unknown', '?']
const GENDER = [
  'u', 'unspecified', 'not specified', 'not stated', 'prefer not to say', 'unbekannt', 'keine angabe', 'k.a', 'k.a.', 'k. a.',
  'non spécifié', 'non précisé', 'inconnu', 'no especificado', 'desconocido', 'não especificado', 'desconhecido',
  'не указан', 'не указано', 'неизвестно', 'không rõ', 'nieznana', 'nie podano', 'belirtilmemiş', 'onbekend', 'نامشخص',
]
const EMPTY: Record<EmptyKind, Set<string>> = {
  text: new Set(ANY),
  gender: new Set([...ANY, ...GENDER]),
  date: new Set(ANY),
}

/** A date whose every part is zero: Outlook's 0/0/00, 00/00/0000, a database's 0000-00-00. */
const ZERO_DATE = /^0+([/.-])0+\1(?:0+)$/

/** The importable customer fields these spellings apply to, and how each reads them. */
export const EMPTY_KIND_OF_FIELD: Readonly<Record<string, EmptyKind>> = {
  gender: 'gender',
  birth_date: 'date',
  company: 'text',
  job_title: 'text',
  title: 'text',
}

/** True when `text` is a known spelling of "empty" for this kind of field. */
export function isEmptySpelling(kind: EmptyKind, text: string): boolean {
  const t = text.normalize('NFKC').trim().toLowerCase()
  if (t === '') return true
  if (kind === 'date' && ZERO_DATE.test(t)) return true
  return EMPTY[kind].has(t)
}

/** True when a value of this field (a customer field or an extra column's folded header) means empty. */
export function isEmptyFieldValue(field: string, text: string): boolean {
  const kind = EMPTY_KIND_OF_FIELD[field]
  return kind !== undefined && isEmptySpelling(kind, text)
}
