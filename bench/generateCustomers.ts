/**
 * A seeded, deterministic customer list with duplicates of known kinds, for the dedupe
 * benchmark. external_id says the truth: "p123-org" is a person, "p123-dup-nickname"
 * the same person entered again with a nickname. Matching never reads external_id.
 *
 * Kinds: nickname (Bob for Robert, Sasha for Aleksandr), typo (one edit in a name or
 * street), transliteration (Cyrillic ↔ Latin, diacritics dropped, ü → ue), swapped
 * (first and last name exchanged), phone (the same number in another format, with the
 * email left out). Every duplicate also loses its email half the time.
 */
import { createWriteStream } from 'node:fs'
import anyAscii from 'any-ascii'
import { NICKNAME_GROUPS } from '../src/dedupe/nicknames.js'
import { seededRandom } from '../src/util/seededRandom.js'

export const DUPLICATE_KINDS = ['nickname', 'typo', 'transliteration', 'swapped', 'phone'] as const
export type DuplicateKind = (typeof DUPLICATE_KINDS)[number]

const CYRILLIC_FIRST = ['Александр', 'Николай', 'Дмитрий', 'Евгений', 'Сергей', 'Владимир', 'Михаил', 'Ольга', 'Наталья', 'Екатерина', 'Мария', 'Татьяна', 'Анастасия', 'Юрий', 'Ирина', 'Светлана']
const CYRILLIC_LAST = ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Новиков', 'Фёдоров', 'Морозов', 'Волков', 'Алексеев', 'Лебедев', 'Семёнов', 'Егоров', 'Павлов', 'Козлов', 'Степанов', 'Николаев']
// Surnames are far more varied than given names: stems + endings give a few thousand.
const CYRILLIC_STEMS = ['Бел', 'Гор', 'Добр', 'Жук', 'Зайц', 'Кар', 'Клим', 'Крыл', 'Лавр', 'Мак', 'Мель', 'Нос', 'Орл', 'Пан', 'Рыб', 'Сав', 'Тар', 'Уш', 'Фом', 'Хар', 'Чер', 'Шар', 'Щер', 'Яковл', 'Гуд', 'Дем', 'Ерм', 'Жар', 'Зуб', 'Ков', 'Лис', 'Мир', 'Ник', 'Оси', 'Пет', 'Роман', 'Сер', 'Тих', 'Фил', 'Бор']
const CYRILLIC_MIDDLES = ['', 'а', 'ин', 'ор', 'ен', 'уш', 'ят', 'ол']
const CYRILLIC_ENDINGS = ['ов', 'ев', 'ин', 'ский', 'енко', 'ук']
const DIACRITIC_LAST = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Müller', 'Schröder', 'Jäger', 'Größ', 'Łukasiewicz', 'Wójcik', 'Sørensen', 'Øberg', 'García', 'Muñoz', 'Peña', 'Lefèvre', 'Bérénger', 'Çelik', 'Đặng', 'Dvořák']
const PLAIN_FIRST = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Lucas', 'Mia', 'Leon', 'Sofia', 'Mateo', 'Chloe', 'Hugo', 'Lea', 'Finn', 'Ines', 'Jonas', 'Clara', 'Paul', 'Nora', 'Oscar', 'Ida', 'Felix', 'Zoe', 'Elias', 'Maya', 'Aaron', 'Lina', 'Jasper', 'Aylin', 'Tarek', 'Mei', 'Kenji', 'Priya', 'Arjun', 'Farah', 'Omar', 'Dara', 'Linh', 'Minh', 'Hoa']
const SYLLABLES = ['ber', 'ka', 'lin', 'dor', 'mar', 'sten', 'wal', 'ric', 'hol', 'fen', 'gra', 'mon', 'tel', 'ros', 'van', 'dal', 'kir', 'bro', 'sel', 'mun', 'har', 'ten', 'lo', 'vic', 'pel', 'son', 'ner', 'gan', 'ost', 'lud', 'ham', 'fer', 'ban', 'cor', 'del', 'est', 'fol', 'gut', 'hen', 'jor']
const STREET_TYPES = ['Street', 'St', 'Avenue', 'Ave', 'Road', 'Rd', 'Lane', 'Drive', 'Way', 'Close']
const CITIES = Array.from({ length: 300 }, (_, i) => ({ name: `City${i}`, postal: String(10000 + i * 313).padStart(5, '0') }))
const DOMAINS = ['gmail.com', 'example.com', 'mail.de', 'yandex.ru', 'outlook.com', 'web.de', 'proton.me']

const FORMALS = NICKNAME_GROUPS.map((line) => line.split(' ')).filter((names) => names.length > 1)

export interface GeneratedRow {
  external_id: string
  first_name: string
  last_name: string
  email: string
  phone: string
  birth_date: string
  street: string
  city: string
  postal_code: string
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)

export function* generateCustomers(total: number, duplicateShare = 0.1, seed = 42): Generator<GeneratedRow> {
  const rand = seededRandom(seed)
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1))
  const word = (n: number) => cap(Array.from({ length: n }, () => pick(SYLLABLES)).join(''))
  const originals = Math.round(total / (1 + duplicateShare))
  const people: GeneratedRow[] = []
  const kindOf = new Map<number, 'cyrillic' | 'diacritic' | 'nick' | 'plain'>()

  for (let p = 0; p < originals; p++) {
    const r = rand()
    let first: string
    let last: string
    let kind: 'cyrillic' | 'diacritic' | 'nick' | 'plain'
    if (r < 0.08) {
      kind = 'cyrillic'
      first = pick(CYRILLIC_FIRST)
      last = rand() < 0.3 ? pick(CYRILLIC_LAST) : pick(CYRILLIC_STEMS) + pick(CYRILLIC_MIDDLES) + pick(CYRILLIC_ENDINGS)
    } else if (r < 0.18) {
      kind = 'diacritic'
      first = pick(PLAIN_FIRST)
      last = pick(DIACRITIC_LAST) + (rand() < 0.5 ? '' : '-' + word(2))
    } else if (r < 0.6) {
      kind = 'nick'
      first = cap(pick(FORMALS)[0]!)
      last = word(int(2, 3))
    } else {
      kind = 'plain'
      first = pick(PLAIN_FIRST)
      last = word(int(2, 3))
    }
    kindOf.set(p, kind)
    const city = pick(CITIES)
    const us = rand() < 0.5
    const phone = us ? `+1 ${int(201, 989)}-${int(200, 999)}-${String(int(0, 9999)).padStart(4, '0')}` : `+49 ${int(30, 99)} ${int(1000000, 9999999)}`
    const row: GeneratedRow = {
      external_id: `p${p}-org`,
      first_name: first,
      last_name: last,
      // A mailbox belongs to one person: the number makes it unique, as a provider would.
      email: rand() < 0.8 ? `${anyAscii(first).toLowerCase().replace(/[^a-z]/g, '')}.${anyAscii(last).toLowerCase().replace(/[^a-z]/g, '')}${p}@${pick(DOMAINS)}` : '',
      phone: rand() < 0.8 ? phone : '',
      birth_date: rand() < 0.7 ? `${int(1940, 2005)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}` : '',
      street: rand() < 0.9 ? `${int(1, 300)} ${word(2)} ${pick(STREET_TYPES)}` : '',
      city: city.name,
      postal_code: city.postal,
    }
    people.push(row)
    yield row
  }

  const duplicates = total - originals
  for (let d = 0; d < duplicates; d++) {
    const kind = DUPLICATE_KINDS[d % DUPLICATE_KINDS.length]!
    // The person: one that suits the kind (a nickname needs a name that has one).
    let p = int(0, originals - 1)
    const wants = kind === 'nickname' ? 'nick' : kind === 'transliteration' ? (rand() < 0.5 ? 'cyrillic' : 'diacritic') : null
    for (let tries = 0; wants && kindOf.get(p) !== wants && tries < 50; tries++) p = int(0, originals - 1)
    const o = people[p]!
    const dup: GeneratedRow = { ...o, external_id: `p${p}-dup-${kind}` }
    if (rand() < 0.5) dup.email = ''
    switch (kind) {
      case 'nickname': {
        const group = FORMALS.find((g) => g[0] === o.first_name.toLowerCase())
        if (group) dup.first_name = cap(pick(group.slice(1)))
        break
      }
      case 'typo': {
        const field = pick(['first_name', 'last_name', 'street'] as const)
        dup[field] = typo(dup[field] || dup.last_name, rand)
        break
      }
      case 'transliteration':
        dup.first_name = transliterate(o.first_name)
        dup.last_name = transliterate(o.last_name)
        break
      case 'swapped':
        dup.first_name = o.last_name
        dup.last_name = o.first_name
        break
      case 'phone':
        dup.email = ''
        dup.phone = o.phone ? reformatPhone(o.phone) : o.phone
        break
    }
    yield dup
  }
}

// Ten frequent letters per script: a typist mistypes within the keyboard layout in use, so a
// typo in محمد or Николай stays in Arabic or Cyrillic letters (Latin ones would be a mixed-script
// string no one types). Latin names keep the letters, and so the seeded output, they always had.
const LATIN_TYPO_LETTERS = 'aeiourstnl'
const TYPO_LETTERS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u0600-\u06ff]/, 'اویرنمدلهس'],
  [/[\u0400-\u04ff]/, 'аеиоурстнл'],
]

/** The letters a typo in `s` draws from: its own script's. */
const typoLetters = (s: string) => TYPO_LETTERS.find(([script]) => script.test(s))?.[1] ?? LATIN_TYPO_LETTERS

/**
 * One edit: substitute, delete, insert or swap two neighbours (not the first letter), in the
 * name's own script; a word shorter than `shortest` gets one letter more ('e' in Latin).
 */
export function typo(s: string, rand: () => number, shortest = 3): string {
  const letters = typoLetters(s)
  if (s.length < shortest) return s + (letters === LATIN_TYPO_LETTERS ? 'e' : letters[0]!)
  const i = 1 + Math.floor(rand() * (s.length - 2))
  const letter = letters[Math.floor(rand() * 10)]!
  switch (Math.floor(rand() * 4)) {
    case 0:
      return s.slice(0, i) + letter + s.slice(i + 1)
    case 1:
      return s.slice(0, i) + s.slice(i + 1)
    case 2:
      return s.slice(0, i) + letter + s.slice(i)
    default:
      return s.slice(0, i) + s[i + 1] + s[i] + s.slice(i + 2)
  }
}

/** Another way to write a name in Latin letters: Cyrillic romanised, diacritics dropped or spelled out. */
function transliterate(s: string): string {
  if (/[\u0400-\u04ff]/.test(s)) {
    return anyAscii(s).replace(/iy$/, 'i').replace(/ay$/, 'ai').replace(/'/g, '').replace(/ya$/, 'ia').replace(/kh/g, 'h')
  }
  const spelled = s.replace(/ü/g, 'ue').replace(/ö/g, 'oe').replace(/ä/g, 'ae').replace(/ß/g, 'ss')
  return spelled === s ? s.normalize('NFD').replace(/\p{M}/gu, '') : spelled
}

/** The same number written another way: national format for US numbers, other spacing abroad. */
function reformatPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  if (digits.startsWith('1')) return `(${digits.slice(1, 4)}) ${digits.slice(4, 7)} ${digits.slice(7)}`
  return `+${digits.slice(0, 2)} (${digits.slice(2, 4)}) ${digits.slice(4, 7)}-${digits.slice(7)}`
}

const HEADER = ['external_id', 'first_name', 'last_name', 'email', 'phone', 'birth_date', 'street', 'city', 'postal_code'] as const
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

/** Writes the list as CSV (UTF-8). */
export async function writeCustomersCsv(path: string, total: number, duplicateShare = 0.1, seed = 42): Promise<void> {
  const out = createWriteStream(path)
  out.write(HEADER.join(',') + '\n')
  let buffer = ''
  for (const row of generateCustomers(total, duplicateShare, seed)) {
    buffer += HEADER.map((h) => csvCell(row[h])).join(',') + '\n'
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((r) => out.once('drain', () => r()))
      buffer = ''
    }
  }
  out.write(buffer)
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())))
}
