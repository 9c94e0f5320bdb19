import { describe, expect, test } from 'vitest'
import { findDuplicateGroups } from '../../src/dedupe/findDuplicateGroups.js'
import type { MatchInput } from '../../src/dedupe/prepareRecord.js'
import { people } from './people.js'

// Each case: two (or three) records among 200 strangers. A household shares the street,
// postal code, home phone and sometimes a mailbox; only a personal detail tells them apart.
let nextId = 5000
function record(fields: Partial<MatchInput>): MatchInput {
  return {
    id: nextId++,
    first_name: null,
    last_name: null,
    email: null,
    phone: null,
    phone_e164: null,
    birth_date: null,
    street: null,
    city: null,
    region: null,
    postal_code: null,
    ...fields,
  }
}

const home = { street: '14 Linden Allee', city: 'Leipzig', postal_code: '04109', phone: '+49 341 5550101', phone_e164: '+493415550101' }

/** The groups containing any of the given records, as id lists. */
function groupsOf(extra: MatchInput[]): number[][] {
  const ids = new Set(extra.map((r) => r.id))
  return findDuplicateGroups([...people(), ...extra])
    .groups.filter((g) => g.ids.some((id) => ids.has(id)))
    .map((g) => g.ids)
}

describe('evidence against a match outweighs a shared address, phone or mailbox', () => {
  test('a mother and her daughter at one address, one home phone: not matched', () => {
    const mother = record({ ...home, first_name: 'Maria', last_name: 'Hoffmann', birth_date: '1961-04-12', email: 'maria.hoffmann@example.de' })
    const daughter = record({ ...home, first_name: 'Laura', last_name: 'Hoffmann', birth_date: '1989-09-30' })
    expect(groupsOf([mother, daughter])).toEqual([])
  })

  test('a husband and wife sharing family@: not matched, even without birthdays', () => {
    const mailbox = { ...home, phone: null, phone_e164: null, email: 'family.novak@example.com' }
    const husband = record({ ...mailbox, first_name: 'Peter', last_name: 'Novak', birth_date: '1970-02-03' })
    const wife = record({ ...mailbox, first_name: 'Jana', last_name: 'Novak', birth_date: '1972-06-21' })
    const husbandNoBirthday = record({ ...mailbox, first_name: 'Tomas', last_name: 'Horak', email: 'horak.family@example.com' })
    const wifeNoBirthday = record({ ...mailbox, first_name: 'Eva', last_name: 'Horak', email: 'horak.family@example.com' })
    expect(groupsOf([husband, wife, husbandNoBirthday, wifeNoBirthday])).toEqual([])
  })

  test('Nguyễn Văn An in two cities with different birthdays: not matched', () => {
    // Both entered with the shop's own number, a common stand-in when a customer gives none.
    const shop = { phone: '+84 24 3825 1234', phone_e164: '+842438251234' }
    const an1 = record({ ...shop, first_name: 'Văn An', last_name: 'Nguyễn', birth_date: '1975-01-20', street: '12 Lê Lợi', city: 'Hà Nội', postal_code: '100000' })
    const an2 = record({ ...shop, first_name: 'Van An', last_name: 'Nguyen', birth_date: '1991-08-02', street: '88 Trần Hưng Đạo', city: 'Đà Nẵng', postal_code: '550000' })
    const an3 = record({ first_name: 'Văn An', last_name: 'Nguyễn', birth_date: '1983-05-14', street: '3 Hàng Bạc', city: 'Hà Nội', postal_code: '100000' })
    expect(groupsOf([an1, an2, an3])).toEqual([])
  })

  test('a father and son of one name at one address: Sr./Jr., or birthdays a generation apart', () => {
    const sr = record({ ...home, first_name: 'John', last_name: 'Miller Sr.' })
    const jr = record({ ...home, first_name: 'John', last_name: 'Miller Jr.' })
    const father = record({ ...home, street: '3 Birkenweg', first_name: 'Karl', last_name: 'Weber', birth_date: '1950-05-05' })
    const son = record({ ...home, street: '3 Birkenweg', first_name: 'Karl', last_name: 'Weber', birth_date: '1978-11-17' })
    expect(groupsOf([sr, jr, father, son])).toEqual([])
  })

  test('Rob and Robert with the same birthday: still one person, beside his wife at the same address', () => {
    const robert = record({ ...home, first_name: 'Robert', last_name: 'Smith', birth_date: '1966-03-09', email: 'rob.smith@example.com' })
    const rob = record({ ...home, first_name: 'Rob', last_name: 'Smith', birth_date: '1966-03-09', phone: '0341 5550101', phone_e164: '+493415550101' })
    const wife = record({ ...home, first_name: 'Helen', last_name: 'Smith', birth_date: '1968-07-01' })
    expect(groupsOf([robert, rob, wife])).toEqual([[robert.id, rob.id]])
  })

  test('Сергей Иванов and Sergey Ivanov: still one person', () => {
    const cyrillic = record({ first_name: 'Сергей', last_name: 'Иванов', birth_date: '1980-12-01', phone: '+7 495 123 45 67', phone_e164: '+74951234567', city: 'Москва' })
    const latin = record({ first_name: 'Sergey', last_name: 'Ivanov', birth_date: '1980-12-01', phone: '8 (495) 123-45-67', phone_e164: '+74951234567', city: 'Moskva' })
    expect(groupsOf([cyrillic, latin])).toEqual([[cyrillic.id, latin.id]])
  })

  test('محمد رضایی and Mohammad Rezaei: one person across scripts', () => {
    const persian = record({ first_name: 'محمد', last_name: 'رضایی', birth_date: '1979-03-21', email: 'm.rezaei@example.ir' })
    const latin = record({ first_name: 'Mohammad', last_name: 'Rezaei', birth_date: '1979-03-21', street: '5 Vali Asr' })
    expect(groupsOf([persian, latin])).toEqual([[persian.id, latin.id]])
  })

  test('a missing birth date is no disagreement: Rob without one still matches Robert by mailbox', () => {
    const robert = record({ first_name: 'Robert', last_name: 'Okonkwo', birth_date: '1990-10-10', email: 'r.okonkwo@example.org', ...home })
    const rob = record({ first_name: 'Rob', last_name: 'Okonkwo', email: 'r.okonkwo@example.org', street: '7 Ringstraße', city: 'Wien', postal_code: '1010' })
    expect(groupsOf([robert, rob])).toEqual([[robert.id, rob.id]])
  })

  test('Thị Lan and Thị Loan Trần at one address and phone: sisters, when both names are common in the list', () => {
    // Other Vietnamese customers: Lan and Loan are both names in use here, not a typo of one another.
    const others = Array.from({ length: 12 }, (_, i) =>
      record({ first_name: i % 2 ? 'Thị Lan' : 'Thị Loan', last_name: ['Phạm', 'Lê', 'Vũ'][i % 3]!, birth_date: `19${60 + i}-0${1 + (i % 9)}-1${i % 9}`, street: `${i + 1} Hàng Gai`, city: 'Hà Nội', postal_code: '100000' }),
    )
    const lan = record({ ...home, first_name: 'Thị Lan', last_name: 'Trần' })
    const loan = record({ ...home, first_name: 'Thị Loan', last_name: 'Trần', email: 'thiloan.tran@example.vn' })
    expect(groupsOf([...others, lan, loan]).filter((g) => g.includes(lan.id))).toEqual([])
  })

  test('twins: other given names, one birthday, one address and mailbox: not matched', () => {
    const mailbox = { ...home, phone: null, phone_e164: null, email: 'weber.family@example.com' }
    const william = record({ ...mailbox, first_name: 'William', last_name: 'Weber', birth_date: '1967-12-01', phone: '+1 223 431 3306' })
    const monika = record({ ...mailbox, first_name: 'Monika', last_name: 'Weber', birth_date: '1967-12-01' })
    expect(groupsOf([william, monika])).toEqual([])
  })

  test('David Rossi and Deborah Davis sharing a mailbox: a couple, not names swapped', () => {
    const mailbox = { ...home, phone: null, phone_e164: null, email: 'rossi.family@example.com' }
    const david = record({ ...mailbox, first_name: 'David', last_name: 'Rossi', birth_date: '1990-04-08' })
    const deborah = record({ ...mailbox, first_name: 'Deborah', last_name: 'Davis' })
    expect(groupsOf([david, deborah])).toEqual([])
  })

  test('Mohammad and Mohammed Hosseini, one address and birthday: one person, though both spellings are common', () => {
    const others = Array.from({ length: 12 }, (_, i) =>
      record({ first_name: i % 2 ? 'Mohammad' : 'Mohammed', last_name: ['Karimi', 'Rahimi', 'Nouri'][i % 3]!, birth_date: `19${60 + i}-0${1 + (i % 9)}-1${i % 9}`, street: `${i + 1} Vali Asr`, city: 'Tehran', postal_code: '1415' }),
    )
    const a = record({ ...home, first_name: 'Mohammad', last_name: 'Hosseini', birth_date: '1979-03-21' })
    const b = record({ ...home, first_name: 'Mohammed', last_name: 'Hosseini', birth_date: '1979-03-21', email: 'm.hosseini@example.com' })
    expect(groupsOf([...others, a, b]).filter((g) => g.includes(a.id))).toEqual([[a.id, b.id]])
  })

  test('Seo-yeon Lee and Seo-yeon Yi: one family name in two romanisations, one person', () => {
    const lee = record({ first_name: 'Seo-yeon', last_name: 'Lee', birth_date: '1988-04-02', street: '5 Hill Road', city: 'Leeds', postal_code: 'LS1 4AP' })
    const yi = record({ first_name: 'Seo-yeon', last_name: 'Yi', birth_date: '1988-04-02', street: '5 Hill Road', city: 'Leeds', postal_code: 'LS1 4AP', email: 'seoyeon@example.kr' })
    expect(groupsOf([lee, yi])).toEqual([[lee.id, yi.id]])
  })

  test('Fatemeh Rezaei twice in Arabic script and once in Latin letters: a name borne three times, counted across scripts', () => {
    const town = { city: 'Rockbury', postal_code: '45850' }
    const a = record({ ...town, first_name: 'فاطمه', last_name: 'رضایی', birth_date: '1979-03-17', street: '1 Park Avenue', phone: '+1 558 241 9144' })
    const b = record({ ...town, first_name: 'فاطمه', last_name: 'رضایی', birth_date: '1974-03-17', street: '103 River Road', email: 'f.rezaei@example.com' })
    const c = record({ ...town, first_name: 'Fatemeh', last_name: 'Rezaei', birth_date: '1962-08-30', street: '7 Hill Lane' })
    const pairScore = (extra: MatchInput[]) =>
      findDuplicateGroups([...people(), ...extra], { threshold: 0.0001, guard: 0.0001 })
        .groups.flatMap((g) => g.pairs)
        .find((p) => p.a === a.id && p.b === b.id)!.score
    // The third bearer makes a shared name weaker evidence, though written in another script.
    expect(pairScore([a, b, c])).toBeLessThan(pairScore([a, b]) - 0.01)
  })

  test('the reasons name what disagrees', () => {
    const father = record({ ...home, first_name: 'Karl', last_name: 'Weber', birth_date: '1950-05-05' })
    const son = record({ ...home, first_name: 'Karl', last_name: 'Weber', birth_date: '1978-11-17' })
    const result = findDuplicateGroups([...people(), father, son], { threshold: 0.0001, guard: 0.0001 })
    const g = result.groups.find((x) => x.ids.includes(father.id))
    expect(g?.reasons).toContain('birth date 1950-05-05 ≠ 1978-11-17 (a generation apart)')
    expect(g?.reasons).toContain('shared address, phone and email counted once (a household shares them)')
  })
})
