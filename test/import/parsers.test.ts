import { describe, expect, test } from 'vitest'
import { ParseError, parseDate, parseTimestamp } from '../../src/import/parse/dates.js'
import { parseAmount } from '../../src/import/parse/money.js'
import { containsCardNumber, luhnValid, parseConsent, parseCountry, parseEmail, parseGender, phoneToE164 } from '../../src/import/parse/fields.js'
import { detectDelimiter, detectEncoding } from '../../src/import/openInput.js'
import { splitFullName, splitMailchimpAddress } from '../../src/import/customerRow.js'
import iconv from 'iconv-lite'

const reason = (v: unknown) => (v instanceof ParseError ? v.reason : null)

describe('parseDate', () => {
  test.each([
    ['1990-03-25', 'mdy', '1990-03-25'],
    ['1990-3-5', 'mdy', '1990-03-05'],
    ['19900325', 'mdy', '1990-03-25'],
    ['1990/03/25', 'dmy', '1990-03-25'],
    ['03/04/1990', 'mdy', '1990-03-04'],
    ['03/04/1990', 'dmy', '1990-04-03'],
    ['25.03.1990', 'mdy', '1990-03-25'],
    ['3/4/85', 'mdy', '1985-03-04'],
    ['3/4/05', 'mdy', '2005-03-04'],
    ['--02-29', 'mdy', '--02-29'],
    ['07/04', 'mdy', '--07-04'],
    ['25 Mar 1990', 'mdy', '1990-03-25'],
    ['March 25, 1990', 'dmy', '1990-03-25'],
    ['2000-02-29', 'mdy', '2000-02-29'],
    ['1990-03-25T10:00:00Z', 'mdy', '1990-03-25'],
  ] as const)('%s (%s) → %s', (text, order, expected) => {
    expect(parseDate(text, order)).toBe(expected)
  })

  test.each([
    ['2023-02-29', 'no day 29'],
    ['1900-02-29', 'no day 29'],
    ['19371233', 'month 12'.replace('month 12', 'no day 33')],
    ['2023-13-01', 'month 13'],
    ['25/03/1990', 'month 25'],
    ['yesterday', 'is not a date'],
    ['', 'is not a date'],
  ])('%s is refused (%s)', (text, why) => {
    expect(reason(parseDate(text, 'mdy'))).toContain(why)
  })
})

describe('parseTimestamp', () => {
  test('a date alone is local midnight in the zone', () => {
    expect(parseTimestamp('2026-01-15', 'mdy', 'Europe/Berlin')).toBe('2026-01-14T23:00:00.000Z')
    expect(parseTimestamp('2026-07-15', 'mdy', 'Europe/Berlin')).toBe('2026-07-14T22:00:00.000Z')
  })
  test('explicit zones win; AM/PM and seconds', () => {
    expect(parseTimestamp('2026-01-15T10:00:00+02:00', 'mdy', 'UTC')).toBe('2026-01-15T08:00:00.000Z')
    expect(parseTimestamp('2026-01-15 10:00Z', 'mdy', 'America/New_York')).toBe('2026-01-15T10:00:00.000Z')
    expect(parseTimestamp('1/15/2026 3:04:05 PM', 'mdy', 'UTC')).toBe('2026-01-15T15:04:05.000Z')
    expect(parseTimestamp('15.01.2026 12:00 AM', 'mdy', 'UTC')).toBe('2026-01-15T00:00:00.000Z')
  })
  test('the spring-forward gap in New York resolves forward, the autumn overlap to the first', () => {
    expect(parseTimestamp('2026-03-08 02:30', 'mdy', 'America/New_York')).toBe('2026-03-08T07:30:00.000Z')
    expect(parseTimestamp('2026-11-01 01:30', 'mdy', 'America/New_York')).toMatch(/^2026-11-01T0[56]:30:00.000Z$/)
  })
  test('bad times are refused', () => {
    expect(reason(parseTimestamp('2026-01-15 25:00', 'mdy', 'UTC'))).toContain('not a time')
    expect(reason(parseTimestamp('--01-15', 'mdy', 'UTC'))).toContain('no year')
  })
})

describe('parseAmount', () => {
  test.each([
    ['49.90', 'USD', 4990, null],
    ['49,90', 'EUR', 4990, null],
    ['1,234.56', 'USD', 123456, null],
    ['1.234,56', 'EUR', 123456, null],
    ['1,234', 'USD', 123400, null],
    ['$-5.00', 'USD', -500, null],
    ['(5.00)', 'USD', -500, null],
    ['5.00-', 'USD', -500, null],
    ['€ 12,50', 'USD', 1250, 'EUR'],
    ['12.50 GBP', 'USD', 1250, 'GBP'],
    ['1 234,50', 'EUR', 123450, null],
    ['500', 'JPY', 500, null],
    ['1.5', 'KWD', 1500, null],
    ['10.000', 'USD', 1000, null],
  ] as const)('%s in %s → %d', (text, currency, cents, found) => {
    expect(parseAmount(text, currency)).toEqual({ cents, currency: found })
  })
  test.each([['abc'], ['1.234'], ['12.345.67,8,9'], ['']])('%s is refused', (text) => {
    expect(parseAmount(text, 'USD')).toBeInstanceOf(ParseError)
  })
})

describe('field parsers', () => {
  test('gender spellings', () => {
    for (const f of ['F', 'female', 'Woman', 'W', 'Frau', 'weiblich', 'ж', 'Nữ', 'Mrs.']) expect(parseGender(f)).toBe('f')
    for (const m of ['M', 'male', 'Man', 'Herr', 'männlich', 'м', 'Nam']) expect(parseGender(m)).toBe('m')
    for (const x of ['x', 'other', 'divers', 'non-binary']) expect(parseGender(x)).toBe('x')
    expect(parseGender('')).toBeNull()
    expect(parseGender('unknown')).toBeNull()
    expect(reason(parseGender('banana'))).toContain('not a gender')
  })
  test('consent values', () => {
    expect(parseConsent('Yes')).toBe('granted')
    expect(parseConsent('opt-out')).toBe('refused')
    expect(parseConsent('')).toBe('unknown')
    expect(parseConsent('maybe')).toBeInstanceOf(ParseError)
  })
  test('countries by code and name, in several languages; retired codes are not countries', () => {
    expect(parseCountry('de')).toBe('DE')
    expect(parseCountry('Deutschland')).toBe('DE')
    expect(parseCountry('United Kingdom')).toBe('GB')
    expect(parseCountry('UK')).toBe('GB')
    expect(parseCountry('Россия')).toBe('RU')
    expect(parseCountry('Việt Nam')).toBe('VN')
    expect(parseCountry('ایران')).toBe('IR')
    expect(parseCountry('USA')).toBe('US')
    expect(parseCountry('SU')).toBeInstanceOf(ParseError)
    expect(parseCountry('Narnia')).toBeInstanceOf(ParseError)
  })
  test('emails: loose on purpose, Unicode allowed, obvious garbage refused', () => {
    expect(parseEmail('müller@straße.de')).toBe('müller@straße.de')
    expect(parseEmail(' mailto:a@b.co ')).toBe('a@b.co')
    for (const bad of ['bob@', '@x.com', 'a b@c.de', 'a@b', 'a@@b.com']) expect(parseEmail(bad)).toBeInstanceOf(ParseError)
  })
  test('phones to E.164 with the default country; E.164 passes straight through', () => {
    expect(phoneToE164('+49 30 1234567', 'US')).toBe('+49301234567')
    expect(phoneToE164('(415) 555-0134', 'US')).toBe('+14155550134')
    expect(phoneToE164('030 1234567', 'DE')).toBe('+49301234567')
    expect(phoneToE164('12', 'US')).toBeNull()
    // Written without a country code, a number must be valid in the default country.
    expect(phoneToE164('030 1234567', 'US')).toBeNull()
    expect(phoneToE164('0049 30 1234567', 'DE')).toBe('+49301234567')
  })
  test('Luhn-valid card numbers are found; phone numbers and short runs are not', () => {
    expect(luhnValid('4111111111111111')).toBe(true)
    expect(luhnValid('4111111111111112')).toBe(false)
    expect(containsCardNumber('paid with 4111-1111-1111-1111 today')).toBe(true)
    expect(containsCardNumber('5500 0000 0000 0004')).toBe(true)
    expect(containsCardNumber('+49 30 1234567')).toBe(false)
    expect(containsCardNumber('order 123456789012')).toBe(false)
  })
  test('names and Mailchimp addresses split', () => {
    expect(splitFullName('Smith, Anna Maria')).toEqual({ first: 'Anna Maria', last: 'Smith' })
    expect(splitFullName('Anna Maria Smith')).toEqual({ first: 'Anna Maria', last: 'Smith' })
    expect(splitFullName('Cher')).toEqual({ first: 'Cher', last: '' })
    expect(splitMailchimpAddress('1 Main St  Springfield  IL  62701  US')).toEqual({ street: '1 Main St', city: 'Springfield', region: 'IL', postal_code: '62701', country: 'US' })
  })
})

describe('sniffing a file', () => {
  test('delimiters', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',')
    expect(detectDelimiter('a;b;c\n"1,5";2;3\n')).toBe(';')
    expect(detectDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t')
    expect(detectDelimiter('name,notes\n"Smith; Ann","a; b; c"\n')).toBe(',')
  })
  test('encodings', () => {
    expect(detectEncoding(Buffer.from('\ufeffa,b', 'utf8'), true).encoding).toBe('utf-8')
    expect(detectEncoding(Buffer.from('Zoë,São', 'utf8'), true).encoding).toBe('utf-8')
    expect(detectEncoding(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode('a\tb', 'utf-16le')]), true).encoding).toBe('utf-16le')
    expect(detectEncoding(iconv.encode('name\tcity\r\nAnn\tBoston\r\n', 'utf-16le'), true).encoding).toBe('utf-16le')
    const cyr = iconv.encode('Имя;Фамилия\r\nАлександр;Пушкин\r\nНаталья;Гончарова\r\n', 'windows-1251')
    expect(detectEncoding(cyr, true).encoding).toBe('windows-1251')
    const lat = iconv.encode('name;city\r\nRené;Besançon\r\nJürgen;München\r\n', 'windows-1252')
    expect(detectEncoding(lat, true).encoding).toBe('windows-1252')
  })
})

describe('a UTF-8 sample cut in the middle of a character is still UTF-8', () => {
  test.each([0, 1, 2, 3, 4, 5])('cut %i bytes before the end', (cut) => {
    const full = Buffer.from('name,city\nAnna,München\nОлег,Москва\nLan,Hà Nội\n'.repeat(3), 'utf8')
    expect(detectEncoding(full.subarray(0, full.length - cut), false).encoding).toBe('utf-8')
  })
})

test('isCurrencyCode: ISO codes ICU knows, the same answer every time (it is cached)', async () => {
  const { isCurrencyCode } = await import('../../src/import/parse/money.js')
  for (let i = 0; i < 3; i++) {
    expect(isCurrencyCode('EUR')).toBe(true)
    expect(isCurrencyCode('JPY')).toBe(true)
    expect(isCurrencyCode('ABC')).toBe(false)
    expect(isCurrencyCode('eur')).toBe(false)
    expect(isCurrencyCode('EUR(SOFA')).toBe(false)
    expect(isCurrencyCode('')).toBe(false)
  }
})
