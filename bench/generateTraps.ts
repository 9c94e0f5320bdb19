/**
 * A seeded customer list full of people who look alike but are not the same person, with
 * true duplicates among them, for bench/dedupeTraps.ts.
 *
 * Each scenario is one trap kind (a family at one address, a couple sharing a mailbox, a
 * father and son of one name, namesakes, Vietnamese, Korean, Persian and Russian
 * households and namesakes). About half the scenarios also hold a person entered twice,
 * changed in one way (nickname, other script, swapped names, typo, moved house, phone
 * written another way), so recall is measured on the same kinds of people.
 *
 * external_id is the truth, `KIND.SCENARIO.PERSON.COPY[.CHANGE]`: the first three parts name
 * the person. Matching never reads external_id.
 */
import { createWriteStream } from 'node:fs'
import anyAscii from 'any-ascii'
import { NICKNAME_GROUPS } from '../src/dedupe/nicknames.js'
import { seededRandom } from '../src/util/seededRandom.js'
import { typo, type GeneratedRow } from './generateCustomers.js'

export const TRAP_KINDS = ['family', 'couple', 'junior', 'namesake', 'vietnamese', 'korean', 'persian', 'russian'] as const
export type TrapKind = (typeof TRAP_KINDS)[number]
export const CHANGE_KINDS = ['nickname', 'script', 'swapped', 'typo', 'moved', 'phone'] as const
export type ChangeKind = (typeof CHANGE_KINDS)[number]

/** A trap list's row has the columns of the project's customer generator. */
export type TrapRow = GeneratedRow

type Rand = () => number

/** A name as written in its own script and in Latin letters ([native, latin]; the same for Latin names). */
type Spelled = readonly [string, string]

const WESTERN_MALE = ['Robert', 'William', 'Richard', 'James', 'John', 'Michael', 'Thomas', 'Charles', 'Edward', 'Daniel', 'David', 'Stephen', 'Peter', 'Joseph', 'Andrew', 'Matthew', 'Klaus', 'Jürgen', 'François', 'José', 'Giuseppe', 'Paul', 'George', 'Henry']
const WESTERN_FEMALE = ['Margaret', 'Elizabeth', 'Katherine', 'Susan', 'Jennifer', 'Patricia', 'Mary', 'Sarah', 'Rebecca', 'Victoria', 'Deborah', 'Helen', 'Dorothy', 'Anna', 'Claire', 'Monika', 'Carmen', 'Lucía', 'Giulia', 'Emma', 'Laura', 'Julia']
const WESTERN_LAST = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Taylor', 'Anderson', 'Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'García', 'Martínez', 'López', 'Martin', 'Bernard', 'Dubois', 'Rossi', 'Russo', 'Kowalski', 'Nowak', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis']

// Vietnamese: Nguyễn alone is about 38% of people, the first ten family names about 90%.
const VN_FAMILY: Array<[string, number]> = [['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 5], ['Huỳnh', 4], ['Phan', 4.5], ['Vũ', 4], ['Võ', 3], ['Đặng', 2], ['Bùi', 2], ['Đỗ', 1.5]]
const VN_MALE = ['An', 'Bình', 'Cường', 'Dũng', 'Hùng', 'Nam', 'Quang', 'Tuấn', 'Long', 'Sơn', 'Hải', 'Minh', 'Khoa', 'Phúc', 'Thắng', 'Vinh']
const VN_FEMALE = ['Hương', 'Lan', 'Linh', 'Mai', 'Phương', 'Thảo', 'Trang', 'Hà', 'Hoa', 'Ngọc', 'Yến', 'Nhung', 'Vy', 'Hạnh', 'Thu', 'Loan']
const VN_MIDDLE_MALE = ['Văn', 'Văn', 'Văn', 'Đức', 'Minh', 'Quốc', 'Hữu']
const VN_MIDDLE_FEMALE = ['Thị', 'Thị', 'Thị', 'Ngọc', 'Thanh', 'Minh']

// Korean: Kim about 21%, Lee 15%, Park 8%.
const KR_FAMILY: Array<[string, number]> = [['Kim', 21], ['Lee', 15], ['Park', 8.5], ['Choi', 4.7], ['Jung', 4.4], ['Kang', 2.3], ['Cho', 2.1], ['Yoon', 2.1], ['Jang', 2], ['Lim', 1.7], ['Han', 1.5], ['Oh', 1.4]]
const KR_MALE = ['Min-jun', 'Seo-jun', 'Do-yun', 'Ye-jun', 'Si-woo', 'Ha-joon', 'Ji-hoon', 'Jun-seo', 'Hyun-woo', 'Young-ho', 'Sung-min', 'Dong-hyun', 'Jae-won', 'Tae-yang']
const KR_FEMALE = ['Seo-yeon', 'Ha-eun', 'Ji-woo', 'Seo-yoon', 'Min-seo', 'Ji-yoo', 'Soo-ah', 'Ji-min', 'Eun-ji', 'Yu-na', 'Hye-jin', 'Su-bin', 'Na-yeon', 'Da-eun']

// Persian in Arabic script and the common Latin spelling; a handful of names cover many people.
const FA_MALE: Spelled[] = [['محمد', 'Mohammad'], ['علی', 'Ali'], ['حسین', 'Hossein'], ['رضا', 'Reza'], ['مهدی', 'Mehdi'], ['امیر', 'Amir'], ['حمید', 'Hamid'], ['احمد', 'Ahmad'], ['سعید', 'Saeed'], ['مجید', 'Majid'], ['بهرام', 'Bahram'], ['کامران', 'Kamran']]
const FA_FEMALE: Spelled[] = [['زهرا', 'Zahra'], ['فاطمه', 'Fatemeh'], ['مریم', 'Maryam'], ['نرگس', 'Narges'], ['سارا', 'Sara'], ['پریسا', 'Parisa'], ['شیرین', 'Shirin'], ['لیلا', 'Leila'], ['نازنین', 'Nazanin'], ['مینا', 'Mina'], ['الهام', 'Elham'], ['سمیرا', 'Samira']]
const FA_LAST: Spelled[] = [['محمدی', 'Mohammadi'], ['حسینی', 'Hosseini'], ['احمدی', 'Ahmadi'], ['رضایی', 'Rezaei'], ['کریمی', 'Karimi'], ['هاشمی', 'Hashemi'], ['مرادی', 'Moradi'], ['جعفری', 'Jafari'], ['رحیمی', 'Rahimi'], ['صادقی', 'Sadeghi'], ['کاظمی', 'Kazemi'], ['نوری', 'Nouri']]

// Russian in Cyrillic and the passport spelling; the surname's female form adds "а" / "a".
const RU_MALE: Spelled[] = [['Сергей', 'Sergey'], ['Александр', 'Aleksandr'], ['Дмитрий', 'Dmitriy'], ['Иван', 'Ivan'], ['Андрей', 'Andrey'], ['Михаил', 'Mikhail'], ['Николай', 'Nikolay'], ['Владимир', 'Vladimir'], ['Алексей', 'Aleksey'], ['Павел', 'Pavel'], ['Юрий', 'Yuriy'], ['Борис', 'Boris']]
const RU_FEMALE: Spelled[] = [['Наталья', 'Natalya'], ['Ольга', 'Olga'], ['Елена', 'Elena'], ['Татьяна', 'Tatyana'], ['Ирина', 'Irina'], ['Юлия', 'Yuliya'], ['Светлана', 'Svetlana'], ['Анна', 'Anna'], ['Мария', 'Mariya'], ['Екатерина', 'Ekaterina'], ['Галина', 'Galina'], ['Людмила', 'Lyudmila']]
const RU_LAST: Spelled[] = [['Иванов', 'Ivanov'], ['Смирнов', 'Smirnov'], ['Кузнецов', 'Kuznetsov'], ['Попов', 'Popov'], ['Петров', 'Petrov'], ['Соколов', 'Sokolov'], ['Волков', 'Volkov'], ['Новиков', 'Novikov'], ['Морозов', 'Morozov'], ['Лебедев', 'Lebedev'], ['Козлов', 'Kozlov'], ['Павлов', 'Pavlov']]

const STREETS = ['Oak', 'Maple', 'Cedar', 'Pine', 'Elm', 'Lake', 'Hill', 'Park', 'Main', 'Church', 'Mill', 'River', 'Station', 'Garden', 'Bridge', 'Spring', 'Meadow', 'Forest', 'Highland', 'Sunset']
const STREET_TYPES = ['Street', 'St', 'Avenue', 'Ave', 'Road', 'Rd', 'Lane', 'Drive']
// Towns with names unlike each other (Town24 and Town49 would read as one town mistyped).
const TOWN_STEMS = ['Ash', 'Bram', 'Cold', 'Dun', 'Elm', 'Fair', 'Glen', 'Hart', 'Ivy', 'Kings', 'Lang', 'Marsh', 'North', 'Oak', 'Pem', 'Queens', 'Rock', 'Stan', 'Thorn', 'Wex']
const TOWN_ENDS = ['ford', 'ley', 'bury']
const CITIES = TOWN_STEMS.flatMap((stem, i) => TOWN_ENDS.map((end, j) => ({ name: stem + end, postal: String(20000 + (i * 3 + j) * 517).padStart(5, '0') })))
const DOMAINS = ['gmail.com', 'example.com', 'mail.de', 'yandex.ru', 'outlook.com', 'naver.com', 'proton.me']

const NICKNAMES = new Map(NICKNAME_GROUPS.map((line) => line.split(' ')).map((names) => [names[0]!, names.slice(1)] as const))

interface Person {
  first: Spelled
  last: Spelled
  /** Generation suffix written after the surname: "Jr.", "Sr.", "II", "III" or "". */
  suffix: string
  birth: string
  email: string
  phone: string
  street: string
  city: { name: string; postal: string }
  /** Which spelling the record uses: 0 native script, 1 Latin. */
  script: 0 | 1
  /** Family name first in the data (Vietnamese, Korean written in their own order). */
  culture: 'western' | 'vn' | 'kr' | 'fa' | 'ru'
}

class TrapGenerator {
  private readonly rand: Rand
  private mailbox = 0
  private phones = new Set<string>()
  readonly rows: TrapRow[] = []
  readonly changes = new Map<ChangeKind, number>()

  constructor(seed: number) {
    this.rand = seededRandom(seed)
  }

  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)]!
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rand() * (hi - lo + 1))
  }
  chance(p: number): boolean {
    return this.rand() < p
  }
  weighted(list: ReadonlyArray<[string, number]>): string {
    const total = list.reduce((s, [, w]) => s + w, 0)
    let x = this.rand() * total
    for (const [v, w] of list) if ((x -= w) < 0) return v
    return list[list.length - 1]![0]
  }

  birthIn(fromYear: number, toYear: number): string {
    return `${this.int(fromYear, toYear)}-${String(this.int(1, 12)).padStart(2, '0')}-${String(this.int(1, 28)).padStart(2, '0')}`
  }
  /** A US mobile number nobody else in the file has. */
  phone(): string {
    for (;;) {
      const p = `+1 ${this.int(201, 989)} ${this.int(200, 999)} ${String(this.int(0, 9999)).padStart(4, '0')}`
      if (!this.phones.has(p)) {
        this.phones.add(p)
        return p
      }
    }
  }
  /** A personal mailbox: the name plus a number, as providers hand them out. */
  email(first: string, last: string): string {
    const local = `${anyAscii(first)}.${anyAscii(last)}`.toLowerCase().replace(/[^a-z.]/g, '')
    return `${local}${++this.mailbox}@${this.pick(DOMAINS)}`
  }
  street(): string {
    return `${this.int(1, 400)} ${this.pick(STREETS)} ${this.pick(STREET_TYPES)}`
  }
  city(): { name: string; postal: string } {
    return this.pick(CITIES)
  }

  /** A person of a culture and sex, with their own mailbox, phone and birthday (each sometimes missing). */
  person(culture: Person['culture'], female: boolean, born: [number, number], home?: Pick<Person, 'street' | 'city'>): Person {
    let first: Spelled
    let last: Spelled
    let script: 0 | 1 = 1
    switch (culture) {
      case 'western': {
        const f = this.pick(female ? WESTERN_FEMALE : WESTERN_MALE)
        const l = this.pick(WESTERN_LAST)
        first = [f, f]
        last = [l, l]
        break
      }
      case 'vn': {
        const f = `${this.pick(female ? VN_MIDDLE_FEMALE : VN_MIDDLE_MALE)} ${this.pick(female ? VN_FEMALE : VN_MALE)}`
        const l = this.weighted(VN_FAMILY)
        first = [f, f]
        last = [l, l]
        script = 0
        break
      }
      case 'kr': {
        const f = this.pick(female ? KR_FEMALE : KR_MALE)
        const l = this.weighted(KR_FAMILY)
        first = [f, f]
        last = [l, l]
        break
      }
      case 'fa':
        first = this.pick(female ? FA_FEMALE : FA_MALE)
        last = this.pick(FA_LAST)
        script = this.chance(0.5) ? 0 : 1
        break
      case 'ru': {
        first = this.pick(female ? RU_FEMALE : RU_MALE)
        const l = this.pick(RU_LAST)
        last = female ? [l[0] + 'а', l[1] + 'a'] : l
        script = this.chance(0.5) ? 0 : 1
        break
      }
    }
    return {
      first,
      last,
      suffix: '',
      birth: this.chance(0.85) ? this.birthIn(born[0], born[1]) : '',
      email: this.chance(0.75) ? this.email(first[1], last[1]) : '',
      phone: this.chance(0.75) ? this.phone() : '',
      street: home?.street ?? this.street(),
      city: home?.city ?? this.city(),
      script,
      culture,
    }
  }

  /** Someone else of the same family: the surname (female form for Russian), the home. */
  relative(of: Person, female: boolean, born: [number, number], differentFirstFrom: Person[]): Person {
    let p: Person
    do {
      p = this.person(of.culture, female, born, of)
    } while (differentFirstFrom.some((o) => sameOrNickname(o.first[1], p.first[1])))
    const stem = of.culture === 'ru' && of.last[1].endsWith('a') ? [of.last[0].slice(0, -1), of.last[1].slice(0, -1)] : [of.last[0], of.last[1]]
    p.last = of.culture === 'ru' && female ? [stem[0] + 'а', stem[1] + 'a'] : [stem[0]!, stem[1]!]
    if (of.culture !== 'western') p.script = of.script
    return p
  }

  emit(id: string, p: Person): void {
    const first = p.first[p.script]
    const last = p.last[p.script] + (p.suffix ? ` ${p.suffix}` : '')
    this.rows.push({
      external_id: id,
      first_name: first,
      last_name: last,
      email: p.email,
      phone: p.phone,
      birth_date: p.birth,
      street: p.street,
      city: p.city.name,
      postal_code: p.city.postal,
    })
  }

  /** The same person entered again with one kind of change the culture allows. */
  duplicate(id: string, p: Person): void {
    const kinds: ChangeKind[] = ['typo', 'moved', 'phone', 'swapped']
    if (p.culture === 'fa' || p.culture === 'ru') kinds.push('script', 'script')
    if (p.culture === 'vn') kinds.push('script')
    if (p.culture === 'western' && NICKNAMES.has(p.first[1].toLowerCase())) kinds.push('nickname', 'nickname')
    if (p.culture === 'ru' && NICKNAMES.has(anyAscii(p.first[0]).toLowerCase())) kinds.push('nickname')
    const kind = this.pick(kinds)
    this.changes.set(kind, (this.changes.get(kind) ?? 0) + 1)
    const d: Person = { ...p, first: [...p.first], last: [...p.last] }
    // A second entry often lacks the mailbox; it keeps at least one of mailbox, phone or birthday.
    if (this.chance(0.4) && (d.phone || d.birth)) d.email = ''
    switch (kind) {
      case 'nickname': {
        const formal = (p.culture === 'ru' ? anyAscii(p.first[0]) : p.first[1]).toLowerCase()
        const nick = cap(this.pick(NICKNAMES.get(formal)!))
        d.first = [nick, nick]
        d.script = 1
        break
      }
      case 'script':
        d.script = p.script === 0 ? 1 : 0
        if (p.culture === 'vn') d.first = [stripMarks(p.first[0]), stripMarks(p.first[0])]
        if (p.culture === 'vn') d.last = [stripMarks(p.last[0]), stripMarks(p.last[0])]
        break
      case 'swapped':
        d.first = [p.last[0], p.last[1]]
        d.last = [p.first[0], p.first[1]]
        break
      case 'typo':
        if (this.chance(0.5)) d.first = [typo(p.first[p.script], this.rand, 4), typo(p.first[p.script], this.rand, 4)]
        else d.last = [typo(p.last[p.script], this.rand, 4), typo(p.last[p.script], this.rand, 4)]
        break
      case 'moved':
        d.street = this.street()
        do d.city = this.city()
        while (d.city === p.city)
        break
      case 'phone':
        // The number written another way and no mailbox (when there is a number to write).
        if (p.phone) {
          d.phone = reformatPhone(p.phone)
          d.email = ''
        }
        break
    }
    this.emit(`${id}.1.${kind}`, d)
  }

  /** Writes a scenario's people, and a duplicate of one of them half the time. */
  scenario(kind: TrapKind, n: number, people: Person[]): void {
    const twice = this.chance(0.6) ? this.int(0, people.length - 1) : -1
    const p = people[twice]
    // Someone known by the name alone cannot be recognised again: give them a birthday.
    if (p && !p.email && !p.phone && !p.birth) p.birth = this.birthIn(1950, 2000)
    people.forEach((person, i) => this.emit(`${kind}.${n}.${i}.0`, person))
    if (p) this.duplicate(`${kind}.${n}.${twice}`, p)
  }

  family(n: number, culture: Person['culture'] = 'western'): void {
    const father = this.person(culture, false, [1950, 1975])
    if (this.chance(0.7)) father.phone ||= this.phone()
    const mother = this.relative(father, true, [1952, 1978], [father])
    // The home phone is shared; the parents' mailboxes are their own.
    if (this.chance(0.6) && father.phone) mother.phone = father.phone
    const kids: Person[] = []
    for (let k = this.int(1, 2); k > 0; k--) {
      const born = Number((father.birth || '1965').slice(0, 4)) + this.int(22, 35)
      const kid = this.relative(father, this.chance(0.5), [born, born + 3], [father, mother, ...kids])
      if (this.chance(0.4) && father.phone) kid.phone = father.phone
      kids.push(kid)
    }
    this.scenario(culture === 'western' ? 'family' : cultureKind(culture), n, [father, mother, ...kids])
  }

  couple(n: number): void {
    const a = this.person('western', false, [1950, 1995])
    const b = this.chance(0.5) ? this.relative(a, true, [1950, 1995], [a]) : { ...this.person('western', true, [1950, 1995], a) }
    if (a.birth && b.birth !== '') b.birth = this.birthIn(Number(a.birth.slice(0, 4)) - 6, Number(a.birth.slice(0, 4)) + 6)
    if (this.chance(0.5)) {
      const shared = `${anyAscii(a.last[1]).toLowerCase().replace(/[^a-z]/g, '')}.family${++this.mailbox}@${this.pick(DOMAINS)}`
      a.email = shared
      b.email = shared
    } else {
      a.phone ||= this.phone()
      b.phone = a.phone
    }
    this.scenario('couple', n, [a, b])
  }

  /** A father and son of one name at one address: a generation apart, often Sr. and Jr. */
  junior(n: number): void {
    const father = this.person('western', false, [1940, 1970])
    father.birth ||= this.birthIn(1940, 1970)
    father.phone ||= this.phone()
    const son: Person = { ...this.person('western', false, [1970, 2000], father), first: father.first, last: father.last }
    const year = Number(father.birth.slice(0, 4)) + this.int(18, 38)
    son.birth = this.birthIn(year, year)
    if (this.chance(0.5)) son.phone = father.phone
    const suffixes = this.pick([['Sr.', 'Jr.'], ['', 'Jr.'], ['II', 'III'], ['', '']])
    father.suffix = suffixes[0]!
    son.suffix = suffixes[1]!
    // Without birthdays only the suffixes tell them apart: keep both suffixes then.
    if (this.chance(0.3)) {
      father.suffix = 'Sr.'
      son.suffix = 'Jr.'
      if (this.chance(0.5)) father.birth = ''
      else son.birth = ''
    }
    this.scenario('junior', n, [father, son])
  }

  /** Two people of one full name: other birthdays, or (without birthdays) other towns. */
  namesake(n: number, culture: Person['culture'] = 'western'): void {
    const a = this.person(culture, this.chance(0.5), [1945, 2000])
    const b = this.person(culture, false, [1945, 2000])
    b.first = a.first
    b.last = a.last
    b.script = a.script
    if (this.chance(0.5)) b.city = a.city
    if (a.birth && b.birth === a.birth) b.birth = this.birthIn(1945, 2000)
    if (b.city === a.city) {
      a.birth ||= this.birthIn(1945, 1970)
      b.birth ||= this.birthIn(1971, 2000)
    }
    const people = [a, b]
    // Common names have a third bearer now and then.
    if (this.chance(0.3)) {
      const c = this.person(culture, false, [1945, 2000])
      c.first = a.first
      c.last = a.last
      c.script = a.script
      if (!c.birth || c.birth === a.birth || c.birth === b.birth) c.birth = this.birthIn(2001, 2005)
      people.push(c)
    }
    this.scenario(culture === 'western' ? 'namesake' : cultureKind(culture), n, people)
  }
}

const cultureKind = (c: Person['culture']): TrapKind => ({ western: 'family', vn: 'vietnamese', kr: 'korean', fa: 'persian', ru: 'russian' })[c] as TrapKind

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1)
const stripMarks = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/Đ/g, 'D').replace(/đ/g, 'd')

function sameOrNickname(a: string, b: string): boolean {
  const x = a.toLowerCase()
  const y = b.toLowerCase()
  if (x === y) return true
  return NICKNAME_GROUPS.some((line) => {
    const names = line.split(' ')
    return names.includes(x) && names.includes(y)
  })
}

/** The number as a person writes it at the counter: national US format. */
function reformatPhone(phone: string): string {
  const d = phone.replace(/\D/g, '')
  return `(${d.slice(1, 4)}) ${d.slice(4, 7)}-${d.slice(7)}`
}

/**
 * About `size` rows: an even share of scenarios per trap kind, then strangers to fill up.
 * The same seed gives the same file.
 */
export function generateTraps(size = 5000, seed = 17): { rows: TrapRow[]; changes: Map<ChangeKind, number> } {
  const g = new TrapGenerator(seed)
  let n = 0
  const perKind = Math.round((size * 0.85) / 3 / TRAP_KINDS.length)
  for (let s = 0; s < perKind; s++) {
    g.family(n++)
    g.couple(n++)
    g.junior(n++)
    g.namesake(n++)
    if (g.chance(0.5)) g.family(n++, 'vn')
    else g.namesake(n++, 'vn')
    if (g.chance(0.5)) g.family(n++, 'kr')
    else g.namesake(n++, 'kr')
    if (g.chance(0.5)) g.family(n++, 'fa')
    else g.namesake(n++, 'fa')
    if (g.chance(0.5)) g.family(n++, 'ru')
    else g.namesake(n++, 'ru')
  }
  const cultures: Array<Person['culture']> = ['western', 'western', 'vn', 'kr', 'fa', 'ru']
  while (g.rows.length < size) g.emit(`stranger.${n++}.0.0`, g.person(g.pick(cultures), g.chance(0.5), [1940, 2005]))
  return { rows: g.rows, changes: g.changes }
}

const HEADER = ['external_id', 'first_name', 'last_name', 'email', 'phone', 'birth_date', 'street', 'city', 'postal_code'] as const
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)

/** Writes the trap list as UTF-8 CSV; returns how many duplicates of each change kind it holds. */
export async function writeTrapsCsv(path: string, size = 5000, seed = 17): Promise<Map<ChangeKind, number>> {
  const { rows, changes } = generateTraps(size, seed)
  const out = createWriteStream(path)
  out.write(HEADER.join(',') + '\n')
  for (const row of rows) out.write(HEADER.map((h) => csvCell(row[h])).join(',') + '\n')
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())))
  return changes
}
