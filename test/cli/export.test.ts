import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { readVcardCards } from '../../src/import/readVcard.js'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
const NOW = '2026-11-23T12:00:00.000Z'
const crmOn = (db: string, args: string[]) => runCrm([...args, '--db', db], home.dir, { env: { CRM_NOW: NOW } })
const crm = (args: string[]) => crmOn(home.db, args)

beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

async function add(...args: string[]): Promise<void> {
  const r = await crm(['add', ...args])
  expect(r.exitCode, r.stderr).toBe(0)
}

async function threeCustomers(): Promise<void> {
  await add('--first-name', 'Ana', '--last-name', 'Silva', '--email', 'ana@example.com', '--city', 'Berlin', '--consent-email', 'yes', '--tag', 'vip')
  await add('--first-name', 'Ben', '--last-name', 'Okafor', '--email', 'ben@example.com', '--city', 'Berlin')
  await add('--first-name', 'Chloé', '--last-name', 'Martin', '--email', 'chloe@example.com', '--city', 'Paris', '--consent-email', 'yes')
  const r = await crm(['consent', 'ben@example.com', '--mail', 'no'])
  expect(r.exitCode, r.stderr).toBe(0)
}

const emailsIn = (csv: string) => csv.trim().split('\n').slice(1).map((l) => l.split(',')[3])

describe('crm export honours refusals', () => {
  test('by default a customer who refused contact is left out, and the count is said on stderr', async () => {
    await threeCustomers()
    const r = await crm(['export'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(emailsIn(r.stdout)).toEqual(['ana@example.com', 'chloe@example.com'])
    expect(r.stderr).toContain('1 customer who refused contact left out')
  })

  test('--consent CHANNEL lists who may be contacted there: email needs a grant, post only no refusal', async () => {
    await threeCustomers()
    await crm(['consent', 'chloe@example.com', '--email', 'no'])
    expect(emailsIn((await crm(['export', '--consent', 'email'])).stdout)).toEqual(['ana@example.com'])
    expect(emailsIn((await crm(['export', '--consent', 'mail'])).stdout)).toEqual(['ana@example.com', 'chloe@example.com'])
  })

  test('--include-opted-out is the explicit override; with --consent it is a usage error', async () => {
    await threeCustomers()
    const r = await crm(['export', '--include-opted-out'])
    expect(emailsIn(r.stdout)).toEqual(['ana@example.com', 'ben@example.com', 'chloe@example.com'])
    expect(r.stderr).not.toContain('left out')
    const both = await crm(['export', '--include-opted-out', '--consent', 'email'])
    expect(both.exitCode).toBe(2)
    expect(both.stderr).toBe('crm: --consent and --include-opted-out contradict each other: give one\n')
  })

  test('the shared filter selects: --city, --tag, --search', async () => {
    await threeCustomers()
    expect(emailsIn((await crm(['export', '--city', 'berlin', '--include-opted-out'])).stdout)).toEqual(['ana@example.com', 'ben@example.com'])
    expect(emailsIn((await crm(['export', '--tag', 'vip'])).stdout)).toEqual(['ana@example.com'])
    expect(emailsIn((await crm(['export', '--search', 'chloe'])).stdout)).toEqual(['chloe@example.com'])
    const bad = await crm(['export', '--country', 'Germany'])
    expect(bad.exitCode).toBe(2)
  })
})

describe('crm export formats', () => {
  test('CSV neutralises formula cells by default, leaves numbers and phones, and --raw writes them exactly', async () => {
    await add('--first-name', '=HYPERLINK("http://evil","x")', '--last-name', '-5', '--email', 'f@example.com', '--phone', '+49 30 1234567',
      '--notes', '@SUM(A1:A9)', '--company', '+cmd|calc')
    const safe = await crm(['export'])
    expect(safe.exitCode, safe.stderr).toBe(0)
    const row = safe.stdout.split('\n')[1]!
    expect(row).toBe(`,"'=HYPERLINK(""http://evil"",""x"")",-5,f@example.com,+49 30 1234567,,,,,,,,'+cmd|calc,,,,,unknown,unknown,unknown,unknown,'@SUM(A1:A9),`)
    const raw = await crm(['export', '--raw'])
    expect(raw.stdout.split('\n')[1]).toBe(`,"=HYPERLINK(""http://evil"",""x"")",-5,f@example.com,+49 30 1234567,,,,,,,,+cmd|calc,,,,,unknown,unknown,unknown,unknown,@SUM(A1:A9),`)
  })

  test('JSON and NDJSON carry tags as lists; --fields picks columns', async () => {
    await threeCustomers()
    const j = JSON.parse((await crm(['export', '--format', 'json', '--fields', 'id,first_name,tags'])).stdout)
    expect(j).toEqual([{ id: 1, first_name: 'Ana', tags: ['vip'] }, { id: 3, first_name: 'Chloé', tags: [] }])
    const nd = (await crm(['export', '--format', 'ndjson', '--fields', 'email'])).stdout
    expect(nd).toBe('{"email":"ana@example.com"}\n{"email":"chloe@example.com"}\n')
    const bad = await crm(['export', '--fields', 'email,password'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('unknown field "password"')
  })

  test('vCard 4.0 with CRLF, escaped text and folded lines, which our reader reads back to the same fields', async () => {
    await add('--first-name', 'Zoë', '--last-name', 'Nguyễn', '--company', 'ACME, Inc.', '--email', 'z@example.com', '--phone', '+49 30 1234567',
      '--street', 'Hauptstraße 5; Hinterhaus', '--city', 'Berlin', '--postal-code', '10115', '--country', 'DE', '--birth-date', '1985-04-12',
      '--gender', 'f', '--notes', 'first line\nsecond line, which is long enough to be folded at seventy-five octets', '--tag', 'vip', '--external-id', 'K-1')
    const r = await crm(['export', '--format', 'vcard'])
    expect(r.exitCode, r.stderr).toBe(0)
    const v = r.stdout
    expect(v.startsWith('BEGIN:VCARD\r\nVERSION:4.0\r\nUID;VALUE=text:K-1\r\nFN:Zoë Nguyễn\r\nN:Nguyễn;Zoë;;;\r\nORG:ACME\\, Inc.\r\n')).toBe(true)
    expect(v).toContain('ADR:;;Hauptstraße 5\\; Hinterhaus;Berlin;;10115;DE\r\n')
    expect(v).toContain('BDAY:19850412\r\nGENDER:F\r\nCATEGORIES:vip\r\n')
    for (const line of v.split('\r\n')) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75)
    const cards = []
    for await (const c of readVcardCards([v], 'x.vcf')) cards.push(c)
    expect(cards).toEqual([{
      line: 1,
      row: {
        external_id: 'K-1', first_name: 'Zoë', last_name: 'Nguyễn', company: 'ACME, Inc.', email: 'z@example.com', phone: '+49 30 1234567',
        street: 'Hauptstraße 5; Hinterhaus', city: 'Berlin', postal_code: '10115', country: 'DE', birth_date: '1985-04-12', gender: 'f',
        notes: 'first line\nsecond line, which is long enough to be folded at seventy-five octets', tags: 'vip',
      },
    }])
  })

  test('--raw and --fields do not apply to vCard', async () => {
    await threeCustomers()
    expect((await crm(['export', '--format', 'vcard', '--raw'])).exitCode).toBe(2)
    expect((await crm(['export', '--format', 'vcard', '--fields', 'email'])).exitCode).toBe(2)
  })
})

describe('round trip', () => {
  test('export --raw → import into an empty database → export is byte-identical', async () => {
    await add('--first-name', 'Zoë', '--last-name', 'Nguyễn; Đặng', '--company', 'ACME, Inc.', '--email', 'z@example.com', '--phone', '+49 30 1234567',
      '--street', 'Hauptstraße 5, Hinterhaus', '--city', 'Berlin', '--postal-code', '10115', '--country', 'DE', '--birth-date', '1985-04-12',
      '--gender', 'f', '--notes', 'line one\nline "two"', '--tag', 'a b', '--tag', 'vip', '--external-id', 'K-1', '--source', 'Flyer',
      '--rep', 'Max Müller', '--territory', 'Nord', '--consent-email', 'yes', '--consent-mail', 'no')
    await add('--first-name', '=SUM(A1)', '--last-name', '-5', '--email', 'e@x.org', '--phone', '-1 555', '--birth-date', '--03-04', '--gender', 'x')
    await add('--company', 'Solo GmbH', '--consent-sms', 'yes')
    await add('--first-name', 'Иван', '--last-name', 'Петров', '--city', 'Москва', '--country', 'RU', '--consent-phone', 'no')
    const first = await crm(['export', '--raw', '--include-opted-out'])
    expect(first.exitCode, first.stderr).toBe(0)
    const file = join(home.dir, 'export.csv')
    writeFileSync(file, first.stdout)
    const other = join(home.dir, 'other.db')
    const imp = await crmOn(other, ['import', file])
    expect(imp.exitCode, imp.stderr).toBe(0)
    expect(imp.stderr).toContain('4 inserted')
    const second = await crmOn(other, ['export', '--raw', '--include-opted-out'])
    expect(second.stdout).toBe(readFileSync(file, 'utf8'))
    expect(queryDb(other, 'select count(*) n from customers')).toEqual([{ n: 4 }])
  })

  test('vCard export → import into an empty database → vCard export is byte-identical', async () => {
    await add('--first-name', 'Zoë', '--last-name', 'Nguyễn; Đặng', '--company', 'ACME, Inc.', '--email', 'z@example.com', '--phone', '+49 30 1234567',
      '--street', 'Hauptstraße 5, Hinterhaus', '--city', 'Berlin', '--region', 'BE', '--postal-code', '10115', '--country', 'DE', '--birth-date', '1985-04-12',
      '--gender', 'f', '--notes', 'line one\nline "two"; three, four\\five', '--tag', 'a b', '--tag', 'vip', '--external-id', 'K-1', '--job-title', 'CEO')
    await add('--first-name', 'Иван', '--last-name', 'Петров', '--birth-date', '--03-04', '--gender', 'x', '--phone', '(415) 555-0100')
    await add('--company', 'Solo GmbH', '--email', 'solo@example.com')
    const first = await crm(['export', '--format', 'vcard', '--include-opted-out'])
    expect(first.exitCode, first.stderr).toBe(0)
    const file = join(home.dir, 'export.vcf')
    writeFileSync(file, first.stdout)
    const other = join(home.dir, 'other.db')
    const imp = await crmOn(other, ['import', file])
    expect(imp.exitCode, imp.stderr).toBe(0)
    expect(imp.stderr).toContain('3 inserted')
    const second = await crmOn(other, ['export', '--format', 'vcard', '--include-opted-out'])
    expect(second.stdout).toBe(first.stdout)
  })
})
