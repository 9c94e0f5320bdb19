import { sql, type RawBuilder, type SqlBool } from 'kysely'
import { digitsOf, fold } from '../text/fold.js'

/**
 * `--search TEXT`: every word must occur (as a part of a word, accent- and case-insensitive)
 * in the customer's name, email, company, phone digits, street, city, postal code or notes.
 * A phone-like text is matched by its digits alone.
 *
 * The index (migration 0008) is a trigram index: it finds any substring of 3 or more
 * characters. A word of 1 or 2 characters cannot use it; such a word is checked by LIKE
 * on the rows the longer words selected, or, when every word is that short, on every
 * customer (a full scan: correct, just not instant on a large database).
 */
export interface SearchWord {
  /** The folded form (fold(): transliterated, lower-cased): matches search_key and city_key. */
  folded: string
  /** The word as typed, NFKC and lower-cased: matches street and notes written in any script. */
  typed: string
  /**
   * The word exactly as typed (NFKC). PostgreSQL's text columns are collate "C", whose
   * lower() folds ASCII letters only: there "Тверская" in a street matches as typed.
   */
  asTyped: string
}

/** The words of a search text, or the phone digits when it looks like a phone number. */
export function searchWords(text: string): SearchWord[] {
  const digits = digitsOf(text)
  if (/^[\d\s+()./-]+$/.test(text.trim()) && digits.length >= 3) return [{ folded: digits, typed: digits, asTyped: digits }]
  return text
    .normalize('NFKC')
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((asTyped) => fold(asTyped).split(' ').filter(Boolean).map((folded) => ({ folded, typed: asTyped.toLowerCase(), asTyped })))
}

/** The trigram index only serves words of at least this many characters. */
const TRIGRAM = 3
const isLong = (w: string) => [...w].length >= TRIGRAM

/** An FTS5 string literal (a phrase: with the trigram tokenizer, a substring). */
const phrase = (w: string) => `"${w.replace(/"/g, '""')}"`
const escapeLike = (w: string) => w.replace(/[\\%_]/g, (c) => '\\' + c)

/** The text LIKE checks: the same columns the index holds, in the PostgreSQL index's exact expression. */
const PG_SEARCH_TEXT = sql.raw(
  `(coalesce(customers.search_key, '') || ' ' || coalesce(customers.city_key, '') || ' ' || lower(coalesce(customers.street, '')) || ' ' || lower(coalesce(customers.postal_code, '')) || ' ' || lower(coalesce(customers.notes, '')))`,
)
// SQLite's LIKE is case-insensitive for ASCII letters already.
const SQLITE_SEARCH_TEXT = sql.raw(
  `(coalesce(customers.search_key, '') || ' ' || coalesce(customers.city_key, '') || ' ' || coalesce(customers.street, '') || ' ' || coalesce(customers.postal_code, '') || ' ' || coalesce(customers.notes, ''))`,
)

function likeAny(text: RawBuilder<unknown>, w: SearchWord, sqlite: boolean): RawBuilder<SqlBool> {
  const forms = [...new Set(sqlite ? [w.folded, w.typed] : [w.folded, w.typed, w.asTyped])]
  return sql`(${sql.join(forms.map((f) => sql`${text} like ${'%' + escapeLike(f) + '%'} escape '\\'`), sql` or `)})`
}

/** The FTS5 query for the words of 3+ characters: each must match in its folded or typed form. */
function matchQuery(long: SearchWord[]): string {
  return long.map((w) => (w.folded === w.typed ? phrase(w.folded) : `(${phrase(w.folded)} OR ${phrase(w.typed)})`)).join(' AND ')
}

/**
 * SQLite: the FTS5 query alone when every word can use the index (so the index alone
 * answers the search), else null.
 */
export function searchIndexQuery(text: string): string | null {
  const words = searchWords(text)
  return words.length > 0 && words.every((w) => isLong(w.folded) && isLong(w.typed)) ? matchQuery(words) : null
}

/** The conditions on `customers` for a search text (empty when the text has no words). */
export function searchConditions(text: string, sqlite: boolean): RawBuilder<SqlBool>[] {
  const words = searchWords(text)
  if (!sqlite) return words.map((w) => likeAny(PG_SEARCH_TEXT, w, false))
  const long = words.filter((w) => isLong(w.folded) && isLong(w.typed))
  const short = words.filter((w) => !long.includes(w))
  const out: RawBuilder<SqlBool>[] = []
  if (long.length > 0) {
    out.push(sql`customers.id in (select rowid from customer_search where customer_search match ${matchQuery(long)})`)
  }
  for (const w of short) out.push(likeAny(SQLITE_SEARCH_TEXT, w, true))
  return out
}
