import { differingWords, type GivenNameCounts } from './nameFrequency.js'
import { areGivenNameSpellings, areNicknames, areSurnameSpellings } from './nicknameIndex.js'
import type { PreparedRecord } from './prepareRecord.js'
import { nameCodes } from './prepareRecord.js'
import { jaroWinkler } from './talisman.js'

/** A comparison level: -1 when either side is missing (no evidence either way). */
export type Level = number

/** One field comparison with ordered levels, best first; the last level is "differs". */
export interface Comparison {
  name: string
  /** Words for each level, used by explain(): "first name Rob ≈ Robert (nickname)". */
  levels: readonly string[]
  compare(a: PreparedRecord, b: PreparedRecord, swapped: boolean): Level
  /**
   * Prior m and u per level, blended with what the data shows (as 20 pseudo-pairs):
   * a small database still gets sensible weights, a large one its own.
   */
  m0: readonly number[]
  u0: readonly number[]
  /** For term-frequency adjustment: the value two records share at level 0. */
  exactValue?(a: PreparedRecord): string | null
  /**
   * Levels that are evidence the two are different people, with the most each may weigh
   * (bits, negative): the learned weight is used when it is stronger. Any of them makes the
   * household comparisons count once (see `household`).
   */
  against?: Readonly<Record<number, number>>
  /**
   * Shared by people who live together (street, place, phone, email): they agree together
   * for a mother and her daughter, so when a personal detail disagrees only the strongest
   * of them counts; summing them would count one household several times.
   */
  household?: boolean
  /**
   * Levels at which the two values are one name written two ways (nickname, other
   * romanisation, typo): in a list of households they say no more than agreeing exactly on
   * the commoner of the two would (a slip in Nguyễn is no rarer than Nguyễn).
   */
  spellings?: readonly number[]
}

const jw = (a: string, b: string): number => (a === b ? 1 : jaroWinkler(a, b))

/**
 * Whether Jaro-Winkler can reach `t` at all: with every character of the shorter string
 * matched and the full prefix bonus, the lengths alone bound it. Skips most calls.
 */
function jwAtLeast(a: string, b: string, t: number): boolean {
  const la = a.length
  const lb = b.length
  const jaroMax = (Math.min(la, lb) / Math.max(la, lb) + 2) / 3
  if (jaroMax + 0.4 * (1 - jaroMax) < t) return false
  return jw(a, b) >= t
}

/** Whether one multi-word name holds every word of the other ("maria" in "maria jose"). */
function containsWords(a: string, b: string): boolean {
  if (!a.includes(' ') && !b.includes(' ')) return false
  const wa = a.split(' ')
  const wb = b.split(' ')
  const [small, big] = wa.length <= wb.length ? [wa, wb] : [wb, wa]
  return small.every((w) => big.includes(w))
}

type Codes = readonly [string, string]

function samePhonetic(a: Codes, b: Codes): boolean {
  return a[0] !== '' && (a[0] === b[0] || a[0] === b[1] || a[1] === b[0])
}

/**
 * Whether two strings are at most one edit apart (insert, delete, substitute, or swap
 * two neighbours): the optimal-string-alignment distance ≤ 1, in one pass.
 */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true
  const la = a.length
  const lb = b.length
  if (Math.abs(la - lb) > 1) return false
  let i = 0
  while (i < la && i < lb && a[i] === b[i]) i++
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1)
}

/**
 * Whether two multi-word given names differ in a word that is neither equal, a nickname
 * nor one typo away: "Văn An" and "Văn Nam", "Ji-woo" and "Ji-hoon" share a generation or
 * middle name and are different people, though the strings look close.
 */
function differInAWord(a: string, b: string, names?: GivenNameCounts): boolean {
  if (!a.includes(' ') || !b.includes(' ')) return false
  const wa = a.split(' ')
  const wb = b.split(' ')
  if (wa.length !== wb.length) return false
  return wa.some((w, i) => w !== wb[i] && !closeTypo(w, wb[i]!) && !areNicknames(w, wb[i]!) && !slipOfCommon(w, wb[i]!, names))
}

/**
 * One edit away from a name common in this list and rare beside it: a slip, even of the
 * first letter of a word (Sung-oin for Sung-min) or in Arabic script, where a slip and
 * another name are otherwise told apart by the letters alone.
 */
function slipOfCommon(a: string, b: string, names?: GivenNameCounts): boolean {
  return names !== undefined && withinOneEdit(a, b) && names.slipOfCommon(a, b)
}

/**
 * One edit apart and the same first letter (or the first two swapped): typists rarely miss
 * the first letter, while Bình and Minh, Yoo and Woo, are other names.
 */
function closeTypo(a: string, b: string): boolean {
  const sameStart = a[0] === b[0] || (a[0] === b[1] && a[1] === b[0])
  return sameStart && withinOneEdit(a, b)
}

/**
 * The consonant skeleton of a Latin name, to compare it with one written in Arabic script
 * (Persian), which leaves short vowels out: any-ascii reads محمد as "mhmd", رضا as "rda".
 * Vowels and the letters that stand for them (y, w, v) go, doubled letters collapse, and
 * letters Persian pronounces alike meet (ض ذ ظ and z; ق غ and gh).
 */
export function consonantSkeleton(name: string): string {
  return name
    .replace(/ /g, '')
    .replace(/gh/g, 'q')
    .replace(/dh|d/g, 'z')
    .replace(/th/g, 's')
    .replace(/[aeiouyvw']/g, '')
    .replace(/(.)\1+/g, '$1')
}

/** Whether a name in Arabic script and one in Latin letters spell the same consonants. */
export function sameSkeleton(a: string, b: string): boolean {
  const sa = consonantSkeleton(a)
  return sa.length >= 2 && sa === consonantSkeleton(b)
}

/** The given-name levels that say "another person" (see compareGivenNames). */
export const GIVEN_NAME_COMMON = 6
export const GIVEN_NAME_DIFFERS = 7

/**
 * Given names: exact, nickname, transliteration (across scripts, or a Latin spelling of
 * one name: Mohammad, Mohammed), typo, similar (phonetic or Jaro-Winkler ≥ 0.8), initial
 * only, another common name, differs. `abjadSides`: how many of the two were written in
 * Arabic script (see PreparedRecord.abjad). `names`: how often each given name occurs in
 * the list; with it, two spellings both in common use there are two names (Lan and Loan),
 * however close, and a rare one a letter away from a common one is a slip of it.
 */
export function compareGivenNames(a: string, b: string, aCodes: Codes = nameCodes(a), bCodes: Codes = nameCodes(b), abjadSides = 0, names?: GivenNameCounts): Level {
  if (a === '' || b === '') return -1
  if (a === b) return 0
  if (areNicknames(a, b)) return 1
  if (areGivenNameSpellings(a, b) || (abjadSides === 1 && sameSkeleton(a, b))) return 2
  // Without written vowels (Arabic script) a name is three or four consonants: myr (Amir)
  // and myn (Mina) are one edit apart and two people. Only the same letters are near, or a
  // rare spelling beside a common one.
  if (abjadSides > 0) return abjadSides === 2 && slipOfCommon(a, b, names) ? 3 : GIVEN_NAME_DIFFERS
  // A space typed one letter early ("Thị Hà", "ThịH à") is a typo, not another name.
  if ((a.includes(' ') || b.includes(' ')) && a.replace(/ /g, '') === b.replace(/ /g, '')) return 3
  if (differInAWord(a, b, names)) return GIVEN_NAME_DIFFERS
  let level: Level
  if (withinOneEdit(a, b) || containsWords(a, b) || jwAtLeast(a, b, 0.92)) level = 3
  else if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 5 : GIVEN_NAME_DIFFERS
  // Similar: the same sound (Catherine, Katherine), or close with the same first letter
  // (Ahmad and Mohammad are two names).
  else if (samePhonetic(aCodes, bCodes) || (a[0] === b[0] && jwAtLeast(a, b, 0.8))) level = 4
  else return GIVEN_NAME_DIFFERS
  return names && differingWords(a, b).some(([x, y]) => names.bothCommon(x, y)) ? GIVEN_NAME_COMMON : level
}

/** The surname level "differs". */
export const SURNAME_DIFFERS = 4

/**
 * Surnames: exact, another romanisation of one family name (Lee, Yi, Rhee), typo
 * (Jaro-Winkler ≥ 0.92, one edit, or the same consonants across scripts), similar
 * (phonetic, ≥ 0.8, one of two words), differs.
 */
export function compareSurnames(a: string, b: string, aCodes: Codes = nameCodes(a), bCodes: Codes = nameCodes(b), abjadSides = 0): Level {
  if (a === '' || b === '') return -1
  if (a === b) return 0
  if (areSurnameSpellings(a, b)) return 1
  if (withinOneEdit(a, b) || jwAtLeast(a, b, 0.92) || (abjadSides === 1 && sameSkeleton(a, b))) return 2
  if (containsWords(a, b) || samePhonetic(aCodes, bCodes) || jwAtLeast(a, b, 0.8)) return 3
  return SURNAME_DIFFERS
}

/** Years between two birth dates at which they are a parent and a child, not one person mistyped. */
export const GENERATION_YEARS = 15

/**
 * Birth dates YYYYMMDD: exact, day and month swapped, one digit off, one part differs,
 * same year only, differs, a generation apart (≥ 15 years: a parent and a child).
 */
export function compareBirthDates(a: string | null, b: string | null): Level {
  if (!a || !b) return -1
  if (a === b) return 0
  const [ya, ma, da] = [a.slice(0, 4), a.slice(4, 6), a.slice(6, 8)]
  const [yb, mb, db] = [b.slice(0, 4), b.slice(4, 6), b.slice(6, 8)]
  if (ya === yb && ma === db && da === mb) return 1
  if (withinOneEdit(a, b)) return 2
  const generation = Math.abs(Number(ya) - Number(yb)) >= GENERATION_YEARS
  const same = Number(ya === yb) + Number(ma === mb) + Number(da === db)
  if (same === 2 && !generation) return 3
  if (ya === yb) return 4
  return generation ? 6 : 5
}

/** Generation suffixes (Jr., Sr., II, III): same, differs. Missing on either side says nothing. */
export function compareSuffixes(a: string | null, b: string | null): Level {
  if (!a || !b) return -1
  return a === b ? 0 : 1
}

/**
 * Email (canonical form): exact, same mailbox name at another provider or one typo,
 * differs. Mailboxes are often the name plus a number (anne.estham36, anne.estham360):
 * different numbers are different people, so they never count as a typo.
 */
export function compareEmails(a: string | null, b: string | null): Level {
  if (!a || !b) return -1
  if (a === b) return 0
  const la = a.slice(0, a.lastIndexOf('@'))
  const lb = b.slice(0, b.lastIndexOf('@'))
  if (digitsOf(la) !== digitsOf(lb)) return 2
  if ((la === lb && la.length >= 4) || withinOneEdit(a, b)) return 1
  return 2
}

const digitsOf = (s: string) => s.replace(/\D+/g, '')

/** Phones (E.164 or digits): exact, same last eight digits or one typo, differs. */
export function comparePhones(a: string | null, b: string | null): Level {
  if (!a || !b) return -1
  if (a === b) return 0
  const da = a.replace(/\D/g, '')
  const db = b.replace(/\D/g, '')
  if ((da.length >= 8 && db.length >= 8 && da.slice(-8) === db.slice(-8)) || withinOneEdit(da, db)) return 1
  return 2
}

/** Exact, similar (Jaro-Winkler ≥ 0.9 or one edit), differs: street names, cities. */
export function compareText(a: string | null, b: string | null): Level {
  if (!a || !b) return -1
  if (a === b) return 0
  if (withinOneEdit(a, b) || jwAtLeast(a, b, 0.9)) return 1
  return 2
}

/** Codes (postal codes, identifiers): exact, one typo, differs. */
export function compareCodes(a: string | null, b: string | null): Level {
  if (!a || !b) return -1
  if (a === b) return 0
  return withinOneEdit(a, b) ? 1 : 2
}

/** Postal code first; the city when a postal code is missing or differs; the region last. */
export function comparePlaces(a: Pick<PreparedRecord, 'postal' | 'city' | 'region'>, b: Pick<PreparedRecord, 'postal' | 'city' | 'region'>): Level {
  if (a.postal && b.postal) {
    if (a.postal === b.postal) return 0
    if (withinOneEdit(a.postal, b.postal) && (!a.city || !b.city || compareText(a.city, b.city) <= 1)) return 1
  }
  if (a.city && b.city && compareText(a.city, b.city) <= 1) return 2
  if (a.region && b.region) return a.region === b.region ? 3 : 4
  if ((a.postal && b.postal) || (a.city && b.city)) return 4
  return -1
}

/** Street name and house number as one comparison (a missing number agrees with any). */
export function compareStreets(a: Pick<PreparedRecord, 'streetName' | 'house'>, b: Pick<PreparedRecord, 'streetName' | 'house'>): Level {
  if (!a.streetName || !b.streetName) return -1
  const name = compareText(a.streetName, b.streetName)
  const number = a.house && b.house ? (a.house === b.house ? 0 : 1) : 0
  if (name === 2) return 3
  if (number === 0) return name === 0 ? 0 : 1
  return 2
}

/** Exact or differs: house numbers, regions. */
export function compareExact(a: string | null, b: string | null): Level {
  if (!a || !b) return -1
  return a === b ? 0 : 1
}

/**
 * Whether b's first and last name are better read the other way round (names swapped
 * on entry): only when neither name already agrees in place.
 */
export function namesSwapped(a: PreparedRecord, b: PreparedRecord): boolean {
  if (!a.first || !a.last || !b.first || !b.last) return false
  if (a.first === b.first || a.last === b.last) return false
  // Cheap test first: the crossed names must share first letters to be worth a look.
  if (a.first[0] !== b.last[0] && a.last[0] !== b.first[0]) return false
  const straight = jw(a.first, b.first) + jw(a.last, b.last)
  const crossed = jw(a.first, b.last) + jw(a.last, b.first)
  return crossed > straight + 0.1
}

const abjadSides = (a: PreparedRecord, b: PreparedRecord) => Number(a.abjad) + Number(b.abjad)

/**
 * The comparisons every dedupe runs, plus one per extra identifier column. `givenNames`:
 * how often each given name occurs in the list being matched (see compareGivenNames).
 */
export function defaultComparisons(extraIdNames: readonly string[] = [], givenNames?: GivenNameCounts): Comparison[] {
  const list: Comparison[] = [
    {
      name: 'first name',
      levels: ['exact', 'nickname', 'transliteration', 'typo', 'similar', 'initial', 'another common name', 'differs'],
      m0: [0.8, 0.05, 0.01, 0.07, 0.02, 0.01, 0.002, 0.038],
      u0: [0.005, 0.0005, 0.0002, 0.0018, 0.008, 0.0005, 0.001, 0.983],
      // Another given name that is no nickname, transliteration or close typo of the first
      // (FEBRL's duplicates keep it in 93 of 100 cases; households share everything else),
      // or a name as common in the list as the first however close its letters (Lan, Loan).
      // Merely similar names (Sara and Zahra, Yuriy and Yuliya) count half as much against.
      against: { 4: -5, [GIVEN_NAME_COMMON]: -10, [GIVEN_NAME_DIFFERS]: -10 },
      spellings: [1, 2, 3],
      compare: (a, b, swapped) =>
        swapped
          ? compareGivenNames(a.first, b.last, a.firstCodes, b.lastCodes, abjadSides(a, b), givenNames)
          : compareGivenNames(a.first, b.first, a.firstCodes, b.firstCodes, abjadSides(a, b), givenNames),
      exactValue: (a) => a.first,
    },
    {
      name: 'surname',
      levels: ['exact', 'other romanisation', 'typo', 'similar', 'differs'],
      m0: [0.82, 0.005, 0.1, 0.03, 0.045],
      u0: [0.004, 0.0002, 0.002, 0.004, 0.9898],
      spellings: [1, 2],
      compare: (a, b, swapped) =>
        swapped
          ? compareSurnames(a.last, b.first, a.lastCodes, b.firstCodes, abjadSides(a, b))
          : compareSurnames(a.last, b.last, a.lastCodes, b.lastCodes, abjadSides(a, b)),
      exactValue: (a) => a.last,
    },
    {
      name: 'birth date',
      levels: ['exact', 'day and month swapped', 'one digit off', 'one part differs', 'same year only', 'differs', 'a generation apart'],
      m0: [0.9, 0.01, 0.03, 0.02, 0.01, 0.028, 0.002],
      u0: [0.0003, 0.00002, 0.001, 0.003, 0.02, 0.55, 0.42568],
      // Month and day both wrong in one year; other years; 15 years or more (a parent).
      against: { 4: -6, 5: -12, 6: -20 },
      compare: (a, b) => compareBirthDates(a.birth, b.birth),
    },
    {
      // Jr. and Sr., II and III: a father and a son of one name at one address.
      name: 'generation suffix',
      levels: ['same', 'differs'],
      m0: [0.999, 0.001],
      u0: [0.5, 0.5],
      // Nobody writes Sr. for Jr. by mistake: as strong as a generation between birth dates.
      against: { 1: -20 },
      compare: (a, b) => compareSuffixes(a.suffix, b.suffix),
    },
    { name: 'email', levels: ['exact', 'similar', 'differs'], m0: [0.8, 0.05, 0.15], u0: [0.00005, 0.0005, 0.99945], household: true, compare: (a, b) => compareEmails(a.email, b.email) },
    { name: 'phone', levels: ['exact', 'similar', 'differs'], m0: [0.8, 0.05, 0.15], u0: [0.00005, 0.0005, 0.99945], household: true, compare: (a, b) => comparePhones(a.phone, b.phone) },
    {
      // Street and house number together: the same number on another street says nothing.
      name: 'street',
      levels: ['same street and number', 'similar street, same number', 'same or similar street, other number', 'differs'],
      m0: [0.7, 0.15, 0.03, 0.12],
      u0: [0.0005, 0.0005, 0.002, 0.997],
      household: true,
      compare: (a, b) => compareStreets(a, b),
    },
    {
      // Postal code, city and region say much the same thing: one comparison, so
      // agreeing on all three is not counted three times.
      name: 'place',
      levels: ['same postal code', 'postal code one typo', 'same city', 'same region only', 'differs'],
      m0: [0.8, 0.05, 0.08, 0.02, 0.05],
      u0: [0.005, 0.01, 0.01, 0.1, 0.875],
      household: true,
      compare: (a, b) => comparePlaces(a, b),
    },
  ]
  extraIdNames.forEach((name, i) =>
    list.push({
      name,
      levels: ['exact', 'one typo', 'differs'],
      m0: [0.9, 0.05, 0.05],
      u0: [0.0001, 0.001, 0.9989],
      compare: (a, b) => compareCodes(a.extraIds[i] ?? null, b.extraIds[i] ?? null),
    }),
  )
  return list
}
