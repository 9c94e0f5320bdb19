import type { Gender } from '../../db/schema.js'
import { fold } from '../../text/fold.js'
import { ParseError } from './dates.js'
import { isEmptySpelling } from './emptyValues.js'

interface GenderWords {
  f: string[]
  m: string[]
  x?: string[]
}

/**
 * The one table of gender words, by language: full words and the one-letter forms a
 * spreadsheet uses. Rules for the one-letter forms, which collide across languages:
 * - `m` is male in every language: male, männlich, masculin(o), mężczyzna and мужской
 *   agree. A Spanish file that writes M for mujer (Mexico's CURP uses H/M) reads as male;
 *   such a file needs its M/H column spelled out (mujer/hombre or F/M) before import.
 * - `h` is male (French homme, Spanish hombre); `f` female (female, femme, femenino,
 *   feminino, frau); `w` female (German weiblich); `d` and `x` other (German divers).
 * - `k` is female in both languages that use it (Turkish kadın, Polish kobieta); `e` is
 *   male (Turkish erkek).
 * A word is compared after NFKC and lower-casing (so ЖЕН, Жен. and жен match), then, when it
 * is plain ASCII (typed without its letters: maennlich, zhenskiy, nu), after transliteration.
 */
const GENDER_WORDS: Record<string, GenderWords> = {
  English: { f: ['f', 'female', 'woman', 'women', 'girl', 'miss', 'mrs', 'ms'], m: ['m', 'male', 'man', 'men', 'boy', 'mr'], x: ['x', 'other', 'nonbinary', 'non-binary', 'nb', 'diverse'] },
  German: { f: ['w', 'weiblich', 'frau'], m: ['männlich', 'maennlich', 'herr', 'mann'], x: ['d', 'divers'] },
  French: { f: ['femme', 'féminin', 'madame', 'mme'], m: ['h', 'homme', 'masculin', 'monsieur'], x: ['autre'] },
  Spanish: { f: ['mujer', 'femenino'], m: ['hombre', 'masculino', 'varón', 'varon'], x: ['otro'] },
  Portuguese: { f: ['mulher', 'feminino'], m: ['homem'], x: ['outro'] },
  Italian: { f: ['donna'], m: ['uomo'] },
  Russian: { f: ['ж', 'жен', 'женский', 'женщина', 'zhenskii', 'zhenskiy'], m: ['м', 'муж', 'мужской', 'мужчина', 'muzhskoi', 'muzhskoy'], x: ['другое'] },
  Vietnamese: { f: ['nữ'], m: ['nam'] },
  Tagalog: { f: ['babae'], m: ['lalaki', 'lalake'] },
  Afrikaans: { f: ['vrou', 'vroulik'], m: ['manlik'] },
  Persian: { f: ['زن', 'خانم', 'zan'], m: ['مرد', 'آقا', 'mard'] },
  Turkish: { f: ['k', 'kadın', 'kadin', 'bayan'], m: ['e', 'erkek', 'bay'] },
  Polish: { f: ['kobieta', 'żeński', 'zenski'], m: ['mężczyzna', 'męski', 'meski'] },
}

/** NFKC and lower case, the dot of an abbreviation (Жен., Mrs.) dropped. */
function caseFold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim().replace(/\.$/, '')
}

type Table = Map<string, Gender>

/** Every word of the table under `keyOf(word)`; a key that names two genders is a bug in the table. */
function buildTable(keyOf: (word: string) => string): Table {
  const table: Table = new Map()
  for (const [lang, words] of Object.entries(GENDER_WORDS)) {
    for (const g of ['f', 'm', 'x'] as const) {
      for (const w of words[g] ?? []) {
        const key = keyOf(w)
        const had = table.get(key)
        if (had && had !== g) throw new Error(`gender table: "${key}" (${lang}) is both ${had} and ${g}`)
        table.set(key, g)
      }
    }
  }
  return table
}

// Built on first use, each apart: the transliterated table loads any-ascii (550 kB of
// source), which `--gender f` and a column of F and M never need (issue 18).
let exact: Table | null = null
let folded: Table | null = null

/** The languages of the table and their words, for the tests and the docs. */
export function genderWords(): Readonly<Record<string, GenderWords>> {
  return GENDER_WORDS
}

/** f, m or x from the common spellings (Female, W, Frau, ж, Nữ, erkek…); empty spellings give null. */
export function parseGender(text: string): Gender | null | ParseError {
  if (isEmptySpelling('gender', text)) return null
  exact ??= buildTable(caseFold)
  const key = caseFold(text)
  // Only plain ASCII is looked up transliterated (nu, kadin, zhenskiy: typed without their
  // letters). Transliterating any input would read a mis-decoded ě as e, Turkish erkek.
  // eslint-disable-next-line no-control-regex
  const g = exact.get(key) ?? (/^[\x00-\x7f]*$/.test(key) ? (folded ??= buildTable(fold)).get(fold(key)) : undefined)
  if (!g) return new ParseError(`"${text}" is not a gender (use f, m or x; or a gender word such as female, weiblich, мужской)`)
  return g
}
