import { describe, expect, test } from 'vitest'
import { customerInput, finishPhone, preparedCustomer } from '../../src/import/customerColumns.js'
import { customerPlan } from '../../src/import/customerPlan.js'
import { buildMapping } from '../../src/import/headerMap.js'
import { customerKeys } from '../../src/customers/customerKeys.js'

const ctx = { dateOrder: 'mdy' as const, timeZone: 'UTC', importedAt: '2026-01-02T03:04:05.000Z', consentSource: 'import t.csv' }
const HEADER = ['external_id', 'Full Name', 'E-mail 1 - Value', 'Phone 1 - Value', 'gender', 'birthday', 'street', 'city', 'country', 'company', 'consent_email', 'tags', 'Lieblingsfarbe']
const ROWS = [
  ['X1', 'Nguyễn Văn An', 'an@example.vn ::: an2@example.vn', '090 342 6012 ::: +84 90 111 2233', 'm', '03/04/1980', 'Lê Lợi 1', 'Hà Nội', 'VN', 'ACME', 'yes', 'vip, local', 'blau'],
  ['X2', 'Smith, Anna', 'anna@example.com', '(416) 531-1036', 'Female', '', '', 'Toronto', '', '', 'no', '', ''],
  ['X3', 'Cher', '', '030 1234567', '', '', '', 'Berlin', 'Germany', 'Müller & Söhne', '', '', ''],
  ['X4', '', 'x@example.com', 'n/a', '', '', '', '', '', '', '', '', ''],
  ['X5', 'Bad Row', 'not-an-email', '', 'zebra', '31/31/1990', '', '', 'Atlantis', '', 'maybe', '', ''],
]

describe('the compiled customer plan', () => {
  const mapping = buildMapping(HEADER, 'customers')
  const plan = customerPlan(mapping, ctx, 'US')

  test('a phone left to the main thread ends as if read at once', () => {
    for (const fields of ROWS.slice(0, 4)) {
      const now = plan(fields)
      const later = plan(fields, true)
      expect(Array.isArray(now)).toBe(false)
      if (Array.isArray(now) || Array.isArray(later)) continue
      finishPhone(later)
      expect(later).toEqual(now)
    }
  })

  test('the prepared row is what the input, its phone and its keys make, and reads back as that input', () => {
    const p = plan(ROWS[0]!)
    if (Array.isArray(p)) throw new Error(JSON.stringify(p))
    const input = customerInput(p)
    expect(input.values).toMatchObject({ external_id: 'X1', first_name: 'Nguyễn Văn', last_name: 'An', email: 'an@example.vn', phone: '090 342 6012', gender: 'm', country: 'VN' })
    expect(input.alternateEmails).toEqual(['an2@example.vn'])
    expect(input.alternatePhones).toEqual(['+84 90 111 2233'])
    expect(input.extra).toEqual({ Lieblingsfarbe: 'blau' })
    expect(input.tags).toEqual(['vip', 'local'])
    expect(input.consent.email).toEqual({ status: 'granted', at: ctx.importedAt, source: ctx.consentSource })
    const e164 = '+84903426012'
    expect(preparedCustomer(input, e164, customerKeys({ ...input.values, phone_e164: e164 }))).toEqual(p)
  })

  test('a row with several wrong fields lists each', () => {
    expect(plan(ROWS[4]!)).toEqual([
      { field: 'email', reason: '"not-an-email" is not an email address' },
      expect.objectContaining({ field: 'gender' }),
      expect.objectContaining({ field: 'birth_date' }),
      expect.objectContaining({ field: 'country' }),
      expect.objectContaining({ field: 'consent_email' }),
    ])
  })
})
