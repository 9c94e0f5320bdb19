import iconv from 'iconv-lite'
import { LANGUAGE_MODELS, type LanguageModel, type Script } from './languageModels.js'
import { LETTER_PAIRS } from './letterPairs.js'

/**
 * The single-byte code pages tried, Windows first: a Windows page and its ISO twin decode
 * most text to the same characters (ISO-8859-1/-15 and Windows-1252, ISO-8859-9 and
 * Windows-1254 …), and when the text is the same the earlier page in this list wins,
 * because Excel and Outlook on Windows wrote the file.
 */
export const CODE_PAGES = [
  'windows-1252', 'windows-1250', 'windows-1251', 'windows-1253', 'windows-1254', 'windows-1255', 'windows-1256', 'windows-1257',
  'windows-1258', 'koi8-r', 'iso-8859-1', 'iso-8859-2', 'iso-8859-5', 'iso-8859-7', 'iso-8859-9', 'iso-8859-15',
] as const

export interface CodePageGuess {
  encoding: string
  /** The language whose letters the decoded text matches best. */
  language: string
  /** The best code page that decodes to different text, or null when none is close. */
  runnerUp: string | null
  /** How many bytes above 0x7F the sample holds: the evidence. */
  highBytes: number
}

// Log-scores of what a decoded character can be. A letter of the language scores the log of
// its frequency (about −3 to −9); these are the costs of everything else.
const UNKNOWN_LETTER_SAME_SCRIPT_P = 3e-5
const UNKNOWN_LETTER_OTHER_SCRIPT_P = 1e-6
const CONTROL_OR_UNDEFINED = -25
const SYMBOL_IN_WORD = -16
const PUNCT_IN_WORD = -12
const APOSTROPHE_IN_WORD = -3
const SYMBOL_BY_WORD = -12
const PUNCT_BY_WORD = -9
const ALONE = -5
const SCRIPT_CHANGE_IN_WORD = -10
const LOWER_THEN_UPPER = -6
const MARK_WITHOUT_LETTER = -10

const enum Kind {
  Other, // ASCII digits, spaces, delimiters
  Letter,
  Mark,
  Apostrophe,
  Punct,
  Symbol,
  Format, // zero-width joiners and direction marks: part of Persian and Hebrew words, nowhere else
  Space, // no-break space
  Bad, // C1 control or a byte the code page leaves undefined
}

interface CharInfo {
  char: string
  kind: Kind
  script: Script | null
  upper: boolean
  lower: boolean
}

const SCRIPT_TESTS: Array<[Script, RegExp]> = [
  ['Latin', /\p{Script=Latin}/u],
  ['Cyrillic', /\p{Script=Cyrillic}/u],
  ['Greek', /\p{Script=Greek}/u],
  ['Hebrew', /\p{Script=Hebrew}/u],
  ['Arabic', /\p{Script=Arabic}/u],
]

function infoOf(char: string): CharInfo {
  const code = char.charCodeAt(0)
  let kind: Kind
  if (char === '\ufffd' || (code >= 0x80 && code <= 0x9f)) kind = Kind.Bad
  else if (/\p{L}/u.test(char)) kind = Kind.Letter
  else if (/\p{M}/u.test(char)) kind = Kind.Mark
  else if (/\p{Cf}/u.test(char)) kind = Kind.Format
  else if (char === '\u00a0') kind = Kind.Space
  else if (char === '\u2019' || char === "'" || char === '\u02bc') kind = Kind.Apostrophe
  else if (/\p{P}/u.test(char)) kind = Kind.Punct
  else if (code >= 0x80 && /[\p{S}\p{No}]/u.test(char)) kind = Kind.Symbol
  else kind = Kind.Other
  const script = kind === Kind.Letter ? (SCRIPT_TESTS.find(([, re]) => re.test(char))?.[0] ?? null) : null
  const lowered = char.toLowerCase()
  return { char, kind, script, upper: kind === Kind.Letter && lowered !== char, lower: kind === Kind.Letter && char.toUpperCase() !== char }
}

const tables = new Map<string, CharInfo[]>()

/** What each of the 256 bytes decodes to in a code page. */
function byteTable(encoding: string): CharInfo[] {
  let t = tables.get(encoding)
  if (!t) {
    const all = Buffer.alloc(256)
    for (let i = 0; i < 256; i++) all[i] = i
    const text = iconv.decode(all, encoding)
    t = Array.from(text, infoOf)
    if (t.length !== 256) throw new Error(`${encoding} is not a single-byte code page`)
    tables.set(encoding, t)
  }
  return t
}

/**
 * How much more often a file is in one code page than another, as a log prior: Windows-1252
 * is the code page of most 8-bit files; the Central European and Cyrillic pages next; the
 * ISO pages and KOI8-R are rarer than their Windows twins. It decides only near-ties, such as
 * one ë in an English file (Windows-1252 ë or Windows-1257 ė).
 */
const PRIOR: Record<string, number> = {
  'windows-1252': 1, 'windows-1250': 0, 'windows-1251': 0, 'windows-1253': 0, 'windows-1254': 0, 'windows-1255': 0,
  'windows-1256': 0, 'windows-1257': 0, 'windows-1258': 0, 'koi8-r': -1, 'iso-8859-1': -1, 'iso-8859-2': -1,
  'iso-8859-5': -1.5, 'iso-8859-7': -1, 'iso-8859-9': -1, 'iso-8859-15': -1,
}

/** The key a letter has in the language tables: lower case, but Turkish İ stays itself. */
function letterKey(char: string): string {
  return char === 'İ' ? char : char.toLowerCase()
}

/** Letter and letter-pair counts of a language's CLDR names (see letterPairs.ts). */
interface PairCounts {
  counts: Map<string, number>
}

const pairTables = new Map<string, PairCounts>()

function pairsOf(language: string): PairCounts {
  let t = pairTables.get(language)
  if (!t) {
    const counts = new Map<string, number>()
    for (const entry of (LETTER_PAIRS[language] ?? '').split(' ')) {
      const at = entry.lastIndexOf(':')
      if (at > 0) counts.set(entry.slice(0, at), Number(entry.slice(at + 1)))
    }
    t = { counts }
    pairTables.set(language, t)
  }
  return t
}

/** How likely a letter is on its own in the language: its share of all letters. */
function letterShare(model: LanguageModel, info: CharInfo): number {
  const key = letterKey(info.char)
  if (key.charCodeAt(0) < 0x80) return model.asciiShare / 26
  const share = model.letters.get(key)
  if (share !== undefined) return share
  if (info.kind === Kind.Mark) return UNKNOWN_LETTER_OTHER_SCRIPT_P
  return info.script === model.script ? UNKNOWN_LETTER_SAME_SCRIPT_P : UNKNOWN_LETTER_OTHER_SCRIPT_P
}

// The CLDR corpus is small (about 5,000 letters a language), so a pair it never saw is not
// impossible: half the weight goes to the pair's share in the corpus, half to the letter's own.
const PAIR_WEIGHT = 0.5
const WORD_END_SHARE = 0.2

/** log P(letter | the letter before it, or ^ at a word's start): pairs smoothed towards the letter's share. */
function pairScore(model: LanguageModel, pairs: PairCounts, before: string, info: CharInfo): number {
  const key = letterKey(info.char)
  const pair = pairs.counts.get(before + key) ?? 0
  const total = pairs.counts.get(before) ?? 0
  return Math.log((total ? (PAIR_WEIGHT * pair) / total : 0) + (1 - PAIR_WEIGHT) * letterShare(model, info))
}

/** log P(the word ends | this letter). */
function endScore(pairs: PairCounts, info: CharInfo): number {
  const key = letterKey(info.char)
  const total = pairs.counts.get(key) ?? 0
  return Math.log((total ? (PAIR_WEIGHT * (pairs.counts.get(key + '$') ?? 0)) / total : 0) + (1 - PAIR_WEIGHT) * WORD_END_SHARE)
}

/**
 * How well the decoded high letters read in one language: each scored after the letter
 * before it, and with the letter after it when that one is plain ASCII (a high one scores
 * the pair itself). Plain ASCII letters count through the share the language leaves them.
 */
function languageScore(model: LanguageModel, table: CharInfo[], ev: Evidence): number {
  const pairs = pairsOf(model.language)
  let s = ev.asciiLetters * Math.log(model.asciiShare)
  for (const [key, n] of ev.trigrams) {
    const cur = table[(key >>> 8) & 255]!
    if (!isWordy(cur)) continue
    const prev = table[key >>> 16]!
    const next = table[key & 255]!
    s += n * pairScore(model, pairs, isWordy(prev) ? letterKey(prev.char) : '^', cur)
    if (next.char.charCodeAt(0) < 0x80 && isWordy(next)) s += n * pairScore(model, pairs, letterKey(cur.char), next)
    else if (!isWordy(next)) s += n * endScore(pairs, cur)
  }
  return s
}

const isWordy = (i: CharInfo) => i.kind === Kind.Letter || i.kind === Kind.Mark

/** The cost of a high byte's character among its neighbours: symbols inside words, case and script changes. */
function contextScore(prev: CharInfo, cur: CharInfo, next: CharInfo): number {
  let s = 0
  const before = isWordy(prev)
  const after = isWordy(next)
  switch (cur.kind) {
    case Kind.Bad:
      return CONTROL_OR_UNDEFINED
    case Kind.Mark:
      if (!before) s += MARK_WITHOUT_LETTER
      break
    case Kind.Letter:
      if (prev.kind === Kind.Letter && prev.script !== cur.script) s += SCRIPT_CHANGE_IN_WORD
      if (prev.lower && cur.upper) s += LOWER_THEN_UPPER
      // The pair after this one is scored here only when the next byte is ASCII; a high
      // next byte scores the pair itself, as its own centre.
      if (next.kind === Kind.Letter && next.char.charCodeAt(0) < 0x80) {
        if (next.script !== cur.script) s += SCRIPT_CHANGE_IN_WORD
        if (cur.lower && next.upper) s += LOWER_THEN_UPPER
      }
      break
    case Kind.Apostrophe:
    case Kind.Punct:
      if (before && after) s += cur.kind === Kind.Apostrophe ? APOSTROPHE_IN_WORD : PUNCT_IN_WORD
      else if (before || after) s += PUNCT_BY_WORD
      else s += ALONE
      break
    case Kind.Format:
      if (prev.script === 'Arabic' || prev.script === 'Hebrew') break
      if (before && after) s += SYMBOL_IN_WORD
      else if (before || after) s += SYMBOL_BY_WORD
      else s += ALONE
      break
    case Kind.Space:
      if (before && after) s += SYMBOL_IN_WORD
      else if (before || after) s += PUNCT_BY_WORD
      break
    case Kind.Symbol:
      if (before && after) s += SYMBOL_IN_WORD
      else if (before || after) s += SYMBOL_BY_WORD
      else s += ALONE
      break
    case Kind.Other:
      break
  }
  return s
}

interface Evidence {
  /** How often each byte value occurs. */
  counts: Uint32Array
  /** prev·65536 + byte·256 + next → count, for every byte above 0x7F. */
  trigrams: Map<number, number>
  highBytes: number
  asciiLetters: number
}

function gather(sample: Uint8Array): Evidence {
  const counts = new Uint32Array(256)
  const trigrams = new Map<number, number>()
  let highBytes = 0
  for (let i = 0; i < sample.length; i++) {
    const b = sample[i]!
    counts[b]!++
    if (b < 0x80) continue
    highBytes++
    // Outside the sample is a line break: a word ends there.
    const key = (i > 0 ? sample[i - 1]! : 10) * 65536 + b * 256 + (i + 1 < sample.length ? sample[i + 1]! : 10)
    trigrams.set(key, (trigrams.get(key) ?? 0) + 1)
  }
  let asciiLetters = 0
  for (let b = 0x41; b <= 0x7a; b++) if (b <= 0x5a || b >= 0x61) asciiLetters += counts[b]!
  return { counts, trigrams, highBytes, asciiLetters }
}

export interface Scored {
  encoding: string
  score: number
  language: string
  /** The decoded high bytes: equal keys mean the same text. */
  text: string
}

const fitting = new Map<string, LanguageModel[]>()

/**
 * The languages a code page can write: every letter of the language's table has a byte in
 * it. Czech read from Windows-1252 bytes is no reading at all, however Czech its ý looks.
 */
function languagesOf(encoding: string, table: CharInfo[]): LanguageModel[] {
  let models = fitting.get(encoding)
  if (!models) {
    const chars = new Set(table.map((i) => i.char))
    models = LANGUAGE_MODELS.filter((m) => [...m.letters.keys()].every((l) => chars.has(l) || chars.has(l.toUpperCase())))
    fitting.set(encoding, models)
  }
  return models
}

function scoreCodePage(encoding: string, ev: Evidence): Scored {
  const table = byteTable(encoding)
  let context = 0
  for (const [key, n] of ev.trigrams) context += n * contextScore(table[key >>> 16]!, table[(key >>> 8) & 255]!, table[key & 255]!)
  let best = -Infinity
  let language = ''
  for (const model of languagesOf(encoding, table)) {
    const s = languageScore(model, table, ev)
    if (s > best) {
      best = s
      language = model.language
    }
  }
  let text = ''
  for (let b = 0x80; b < 256; b++) if (ev.counts[b]) text += table[b]!.char
  return { encoding, score: best + context + PRIOR[encoding]!, language, text }
}

/** Every code page's score for a sample, in CODE_PAGES order: for tuning the weights above. */
export function rankCodePages(sample: Uint8Array): Scored[] {
  const ev = gather(sample)
  return CODE_PAGES.map((e) => scoreCodePage(e, ev))
}

/**
 * The single-byte code page a sample that is not UTF-8 was most likely written in: each
 * candidate decodes the sample, and the decoding is scored by how it reads. Letters of
 * one script per word, no lower-case letter followed by a capital, no symbols or control
 * characters inside words, and letters as frequent as in a real language. Works on a
 * one-line file: a single Cyrillic name decoded as Latin has háčeks a language never
 * writes together. Looks only at the bytes above 0x7F and their neighbours, so the cost
 * is one pass over the sample.
 */
export function detectCodePage(sample: Uint8Array): CodePageGuess {
  // A page that decodes the sample to the same text as an earlier one is that page: same text,
  // same reading, and the earlier (Windows, more common) name is kept.
  const seen = new Set<string>()
  const scored = rankCodePages(sample).filter((s) => !seen.has(s.text) && seen.add(s.text))
  let best = scored[0]!
  for (const s of scored) if (s.score > best.score) best = s
  let runnerUp: Scored | null = null
  for (const s of scored) if (s.text !== best.text && (!runnerUp || s.score > runnerUp.score)) runnerUp = s
  const highBytes = sample.reduce((n, b) => (b > 0x7f ? n + 1 : n), 0)
  return { encoding: best.encoding, language: best.language, runnerUp: runnerUp?.encoding ?? null, highBytes }
}
