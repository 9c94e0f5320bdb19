import iconv from 'iconv-lite'
import { CrmError } from '../errors.js'
import type { CsvRecord } from './readRecords.js'

/** The columns a vCard fills, named as crm's import fields. */
export const VCARD_COLUMNS = [
  'external_id', 'first_name', 'last_name', 'email', 'phone', 'gender', 'birth_date', 'street', 'city', 'region',
  'postal_code', 'country', 'company', 'job_title', 'notes', 'tags',
] as const
export type VcardColumn = (typeof VCARD_COLUMNS)[number]
export type VcardRow = Partial<Record<VcardColumn, string>>

export interface VcardCard {
  /** Line of the card's BEGIN:VCARD, 1-based. */
  line: number
  row: VcardRow
}

/** True when a file's first text is a vCard (how `crm import` tells it from CSV). */
export function isVcard(sample: string): boolean {
  return /^BEGIN:VCARD\s*$/i.test(sample.replace(/^\ufeff/, '').trimStart().split(/\r?\n/, 1)[0] ?? '')
}

interface Property {
  name: string
  params: Map<string, string[]>
  value: string
}

/** `item1.EMAIL;TYPE=INTERNET,pref:a@b.c` → name, params (2.1's bare TYPE values too), raw value. */
function parseProperty(line: string): Property | null {
  const m = /^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)((?:;[^:;]*(?:"[^"]*"[^:;]*)*)*):(.*)$/s.exec(line)
  if (!m) return null
  const params = new Map<string, string[]>()
  for (const p of m[2]!.split(';').slice(1)) {
    const eq = p.indexOf('=')
    const key = (eq < 0 ? 'TYPE' : p.slice(0, eq)).toUpperCase()
    const raw = eq < 0 ? p : p.slice(eq + 1)
    const values = raw.split(',').map((v) => v.replace(/^"|"$/g, '').toLowerCase())
    params.set(key, [...(params.get(key) ?? []), ...values])
  }
  return { name: m[1]!.toUpperCase(), params, value: m[3]! }
}

function decodeQuotedPrintable(value: string, charset: string): string {
  const bytes: number[] = []
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!
    if (ch === '=' && /^[0-9A-Fa-f]{2}$/.test(value.slice(i + 1, i + 3))) {
      bytes.push(parseInt(value.slice(i + 1, i + 3), 16))
      i += 2
    } else if (ch === '=' && (value[i + 1] === '\r' || value[i + 1] === '\n')) {
      i += value[i + 1] === '\r' && value[i + 2] === '\n' ? 2 : 1
    } else bytes.push(...Buffer.from(ch, 'utf8'))
  }
  const enc = iconv.encodingExists(charset) ? charset : 'utf-8'
  return iconv.decode(Buffer.from(bytes), enc)
}

/** Splits on unescaped `sep` (';' between components, ',' between list values). */
function splitUnescaped(value: string, sep: string): string[] {
  const out: string[] = []
  let cur = ''
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!
    if (ch === '\\' && i + 1 < value.length) {
      cur += ch + value[i + 1]
      i++
    } else if (ch === sep) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  out.push(cur)
  return out
}

function unescapeText(value: string): string {
  return value.replace(/\\([\\,;nN])/g, (_, c: string) => (c === 'n' || c === 'N' ? '\n' : c))
}

/** 19850412, 1985-04-12, --0412, --04-12, 1985-04-12T00:00:00Z → 1985-04-12 / --04-12. */
function isoBirthday(value: string): string {
  const v = value.trim().replace(/T.*$/, '')
  let m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(v)
  if (m) return `${m[1]}-${m[2]}-${m[3]}`
  m = /^--(\d{2})-?(\d{2})$/.exec(v)
  if (m) return `--${m[1]}-${m[2]}`
  return v
}

const GENDERS: Record<string, string> = { F: 'f', M: 'm', O: 'x' }

function preferred(p: Property): boolean {
  const pref = p.params.get('PREF')
  return (p.params.get('TYPE') ?? []).includes('pref') || (pref !== undefined && pref[0] === '1')
}

/** One card's properties as crm's fields; several emails or phones become "a ::: b", preferred first. */
function cardRow(props: Property[]): VcardRow {
  const row: VcardRow = {}
  const text = (p: Property) => unescapeText(p.value).trim()
  const components = (p: Property) => splitUnescaped(p.value, ';').map((c) => splitUnescaped(c, ',').map(unescapeText).map((s) => s.trim()).filter(Boolean).join(', '))
  const multi = (name: string) => {
    const all = props.filter((p) => p.name === name)
    const sorted = [...all.filter(preferred), ...all.filter((p) => !preferred(p))]
    const values = sorted.map(name === 'TEL' ? (p) => text(p).replace(/^tel:/i, '') : text).filter(Boolean)
    return [...new Set(values)].join(' ::: ')
  }
  const set = (col: VcardColumn, v: string | undefined) => {
    if (v) row[col] = v
  }
  const first = (name: string) => props.find((p) => p.name === name)
  const n = first('N')
  if (n) {
    const [last, given, additional] = components(n)
    set('last_name', last)
    set('first_name', [given, additional].filter(Boolean).join(' '))
  }
  const fn = first('FN')
  const org = first('ORG')
  if (org) set('company', components(org).filter(Boolean).join(', '))
  if (fn && !row.first_name && !row.last_name) {
    const full = text(fn)
    // FN repeats the company or email when a card has no person's name.
    if (full && full !== row.company && !full.includes('@')) {
      const space = full.lastIndexOf(' ')
      if (space < 0) set('first_name', full)
      else {
        set('first_name', full.slice(0, space))
        set('last_name', full.slice(space + 1))
      }
    }
  }
  set('email', multi('EMAIL'))
  set('phone', multi('TEL'))
  const adrs = props.filter((p) => p.name === 'ADR')
  const adr = adrs.find(preferred) ?? adrs.find((p) => (p.params.get('TYPE') ?? []).includes('home')) ?? adrs[0]
  if (adr) {
    const [pobox, ext, street, city, region, postal, country] = components(adr)
    set('street', [pobox, ext, street].filter(Boolean).join(', '))
    set('city', city)
    set('region', region)
    set('postal_code', postal)
    set('country', country)
  }
  const title = first('TITLE')
  if (title) set('job_title', text(title))
  const bday = first('BDAY')
  if (bday) {
    const iso = isoBirthday(text(bday))
    // Apple Contacts writes a birthday without a year as year 1604, named in X-APPLE-OMIT-YEAR.
    const omitted = bday.params.get('X-APPLE-OMIT-YEAR')?.[0]
    set('birth_date', omitted && iso.startsWith(`${omitted}-`) ? `--${iso.slice(omitted.length + 1)}` : iso)
  }
  const gender = first('GENDER')
  if (gender) set('gender', GENDERS[text(gender).split(';')[0]!.toUpperCase()])
  const notes = props.filter((p) => p.name === 'NOTE').map(text).filter(Boolean)
  if (notes.length) set('notes', notes.join('\n'))
  const tags = props.filter((p) => p.name === 'CATEGORIES').flatMap((p) => splitUnescaped(p.value, ',').map(unescapeText).map((s) => s.trim()))
  if (tags.length) set('tags', [...new Set(tags.filter(Boolean))].join(', '))
  const uid = first('UID')
  if (uid) set('external_id', text(uid))
  return row
}

/**
 * Reads vCard 2.1, 3.0 and 4.0 (Apple, Google, Outlook, khard, Android) as rows keyed by
 * crm's column names: lines unfolded, quoted-printable and charsets decoded, escapes undone.
 * A card left open, or END without BEGIN, is an error naming the line.
 */
export async function* readVcardCards(input: AsyncIterable<string | Buffer> | Iterable<string>, fileName: string): AsyncGenerator<VcardCard> {
  let pending = ''
  let lineNo = 0
  let logical: string | null = null
  let logicalLine = 0
  let card: { line: number; props: Property[] } | null = null

  function* take(line: string, at: number): Generator<VcardCard> {
    if (line.trim() === '') return
    const upper = line.trim().toUpperCase()
    if (upper === 'BEGIN:VCARD') {
      if (card) throw new CrmError(`${fileName}:${at}: vCard: BEGIN:VCARD inside the card begun on line ${card.line} (a missing END:VCARD)`)
      card = { line: at, props: [] }
      return
    }
    if (upper === 'END:VCARD') {
      if (!card) throw new CrmError(`${fileName}:${at}: vCard: END:VCARD without BEGIN:VCARD`)
      const done: { line: number; props: Property[] } = card
      card = null
      yield { line: done.line, row: cardRow(done.props) }
      return
    }
    if (!card) {
      throw new CrmError(`${fileName}:${at}: vCard: text outside BEGIN:VCARD … END:VCARD`)
    }
    const prop = parseProperty(line)
    // Lines that are no property (2.1 base64 photo data) carry nothing crm keeps.
    if (!prop) return
    const enc = (prop.params.get('ENCODING') ?? [])[0]
    if (enc === 'quoted-printable') prop.value = decodeQuotedPrintable(prop.value, (prop.params.get('CHARSET') ?? ['utf-8'])[0]!)
    card.props.push(prop)
  }

  function* physical(line: string): Generator<VcardCard> {
    lineNo++
    if (logical !== null && (line.startsWith(' ') || line.startsWith('\t'))) {
      logical += line.slice(1)
      return
    }
    // vCard 2.1 quoted-printable soft line break: the value goes on after "=".
    if (logical !== null && /QUOTED-PRINTABLE/i.test(logical.split(':', 1)[0]!) && logical.endsWith('=')) {
      logical = logical.slice(0, -1) + line
      return
    }
    if (logical !== null) yield* take(logical, logicalLine)
    logical = line
    logicalLine = lineNo
  }

  let first = true
  for await (const chunk of input as AsyncIterable<string | Buffer>) {
    let text = typeof chunk === 'string' ? chunk : chunk.toString('utf8')
    if (first) {
      text = text.replace(/^\ufeff/, '')
      first = false
    }
    pending += text
    const parts = pending.split(/\r\n|\n|\r(?!$)/)
    pending = parts.pop()!
    for (const p of parts) yield* physical(p)
  }
  if (pending !== '') yield* physical(pending.replace(/\r$/, ''))
  if (logical !== null) yield* take(logical, logicalLine)
  const open = card as { line: number } | null
  if (open) throw new CrmError(`${fileName}:${open.line}: vCard: BEGIN:VCARD without END:VCARD`)
}

/**
 * The same cards as CSV-shaped records for the import pipeline: first a header record
 * (VCARD_COLUMNS), then one record per card with its BEGIN line, fields in that order.
 */
export async function* readVcard(input: AsyncIterable<string | Buffer> | Iterable<string>, fileName: string): AsyncGenerator<CsvRecord> {
  yield { line: 0, fields: [...VCARD_COLUMNS] }
  for await (const card of readVcardCards(input, fileName)) {
    yield { line: card.line, fields: VCARD_COLUMNS.map((c) => card.row[c] ?? '') }
  }
}
