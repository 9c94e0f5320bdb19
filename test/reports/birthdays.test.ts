import { describe, expect, test } from 'vitest'
import { birthdayRows, nextBirthday } from '../../src/reports/birthdays.js'

describe('nextBirthday', () => {
  test('across New Year: a January birthday seen from December is next year, one year older', () => {
    expect(nextBirthday('1990-01-03', '2026-12-28')).toEqual({ date: '2027-01-03', days: 6, turns: 37 })
    expect(nextBirthday('1990-12-28', '2026-12-28')).toEqual({ date: '2026-12-28', days: 0, turns: 36 })
    expect(nextBirthday('1990-12-27', '2026-12-28')).toEqual({ date: '2027-12-27', days: 364, turns: 37 })
  })

  test('29 February: 1 March in a common year, 29 February in a leap year', () => {
    expect(nextBirthday('2008-02-29', '2027-02-20')).toEqual({ date: '2027-03-01', days: 9, turns: 19 })
    expect(nextBirthday('2008-02-29', '2028-02-20')).toEqual({ date: '2028-02-29', days: 9, turns: 20 })
  })

  test('a birthday without a year has no age', () => {
    expect(nextBirthday('--01-02', '2026-12-31')).toEqual({ date: '2027-01-02', days: 2, turns: null })
  })
})

const person = {
  first_name: 'A', last_name: 'B', email: 'a@example.com', phone: '+49 30 1234567', street: 'Hauptstr. 1', city: 'Berlin',
  region: 'Berlin', postal_code: '10115', country: 'DE', consent_email: 'granted', consent_mail: 'unknown', consent_sms: 'unknown', consent_phone: 'unknown',
}

test('consent: refused channels are blanked, refusing everything leaves a person out; soonest first', () => {
  const rows = birthdayRows(
    [
      { ...person, id: 1, birth_date: '1980-01-02', consent_email: 'refused', consent_mail: 'refused' },
      { ...person, id: 2, birth_date: '1990-12-31', consent_phone: 'refused' },
      { ...person, id: 3, birth_date: '1970-01-01', consent_email: 'refused', consent_mail: 'refused', consent_sms: 'refused', consent_phone: 'refused' },
      { ...person, id: 4, birth_date: '1985-01-01', consent_phone: 'refused', consent_sms: 'refused' },
    ],
    '2026-12-30',
  )
  expect(rows.map((r) => [r.id, r.birthday, r.days, r.turns])).toEqual([
    [2, '2026-12-31', 1, 36],
    [4, '2027-01-01', 2, 42],
    [1, '2027-01-02', 3, 47],
  ])
  expect(rows[2]).toMatchObject({ email: null, street: null, city: null, postal_code: null, country: null, phone: '+49 30 1234567' })
  expect(rows[0]).toMatchObject({ email: 'a@example.com', phone: '+49 30 1234567', city: 'Berlin' })
  expect(rows[1]).toMatchObject({ phone: null, email: 'a@example.com' })
})
