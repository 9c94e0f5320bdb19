import { parse } from 'csv-parse/sync'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openDb } from '../../src/db/openDb.js'
import { addCustomers, addPurchases, tagCustomer } from '../helpers/customerData.js'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

const env = { CRM_NOW: '2026-11-23T12:00:00Z' }
let home: ReturnType<typeof tempHome>
const crm = (args: string[], extra: Record<string, string> = {}) => runCrm(['--db', home.db, ...args], home.dir, { env: { ...env, ...extra } })

beforeAll(async () => {
  home = tempHome()
  const db = await openDb(home.db)
  const [anna, bob, ola] = await addCustomers(db.db, [
    { first_name: 'Anna', last_name: 'Müller', gender: 'f', city: 'München', country: 'DE', email: 'anna@example.de', consent_email: 'granted', birth_date: '1990-11-24' },
    { first_name: 'Bob', last_name: 'Smith', gender: 'm', city: 'Boston', country: 'US', phone: '(617) 555-0100', notes: '=HYPERLINK("x")' },
    { first_name: 'Оля', last_name: 'Иванова', gender: 'f', city: 'Москва', country: 'RU', company: '山田商事' },
    { first_name: 'Erased', gender: 'f', forgotten_at: '2026-01-01T00:00:00.000Z' },
  ])
  await tagCustomer(db.db, anna!, 'vip', 'newsletter')
  await addPurchases(db.db, [
    { customer_id: anna!, purchased_at: '2026-11-10T10:00:00.000Z', amount_cents: 40000, order_id: 'A1' },
    { customer_id: anna!, purchased_at: '2026-11-11T10:00:00.000Z', amount_cents: 20000, order_id: 'A2' },
    { customer_id: anna!, purchased_at: '2026-11-12T10:00:00.000Z', amount_cents: -5000, order_id: 'A2', line: 2 },
    { customer_id: bob!, purchased_at: '2026-11-15T10:00:00.000Z', amount_cents: 90000, currency: 'EUR', order_id: 'B1' },
    { customer_id: ola!, purchased_at: '2026-11-20T10:00:00.000Z', amount_cents: 50001, order_id: 'O1' },
    { customer_id: 4, purchased_at: '2026-11-20T10:00:00.000Z', amount_cents: 999999, order_id: 'E1' },
  ])
  await db.close()
})
afterAll(() => home.cleanup())

describe('crm query', () => {
  test('the mission query lists exactly the women who spent over 500 in 30 days, refunds subtracted', async () => {
    const r = await crm(['query', '--gender', 'f', '--spent-gt', '500', '--days', '30', '--format', 'json'])
    expect(r.stderr).toBe('')
    expect(r.exitCode).toBe(0)
    const rows = JSON.parse(r.stdout) as Array<Record<string, unknown>>
    // Anna: 400 + 200 − 50 = 550; Оля: 500.01; the erased customer never appears.
    expect(rows.map((x) => [x.first_name, x.spent_cents, x.orders, x.last_purchase_at])).toEqual([
      ['Anna', 55000, 2, '2026-11-11T10:00:00.000Z'],
      ['Оля', 50001, 1, '2026-11-20T10:00:00.000Z'],
    ])
    expect(Object.keys(rows[0]!)).not.toContain('search_key')
    expect(Object.keys(rows[0]!)).not.toContain('city_key')
    expect(Object.keys(rows[0]!)).not.toContain('email_norm')
    expect(rows[0]!.tags).toBe('newsletter, vip')
  })

  test('filter is an alias; spending in another currency is not summed', async () => {
    const r = await crm(['filter', '--spent-gt', '100', '--format', 'ndjson', '--fields', 'first_name,spent_cents'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { first_name: 'Anna', spent_cents: 55000 },
      { first_name: 'Оля', spent_cents: 50001 },
    ])
  })

  test('json and ndjson without --fields: every column in order on every row, empty ones as null', async () => {
    // Rows whose keys already are the columns are written as they are (src/cli/output.ts, fromSql).
    const header = (await crm(['query', '--format', 'csv', '--limit', '0'])).stdout.trim().split(',')
    for (const format of ['ndjson', 'json']) {
      const r = await crm(['query', '--format', format])
      expect(r.exitCode).toBe(0)
      const rows = (format === 'json' ? JSON.parse(r.stdout) : r.stdout.trim().split('\n').map((l) => JSON.parse(l))) as Array<Record<string, unknown>>
      expect(rows.map((x) => x.first_name)).toEqual(['Anna', 'Bob', 'Оля'])
      for (const row of rows) expect(Object.keys(row)).toEqual(header)
      expect(rows[1]!.email).toBeNull()
      expect(rows[1]!.tags).toBeNull()
    }
  })

  test('csv has a header, parses back, neutralises formulas unless --raw', async () => {
    const r = await crm(['query', '--format', 'csv', '--fields', 'id,first_name,phone,notes,spent_cents'])
    const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>
    expect(rows.map((x) => x.first_name)).toEqual(['Anna', 'Bob', 'Оля'])
    expect(rows[1]!.phone).toBe('(617) 555-0100')
    expect(rows[1]!.notes).toBe(`'=HYPERLINK("x")`)
    const raw = await crm(['query', '--format', 'csv', '--raw', '--fields', 'notes', '--search', 'bob'])
    expect((parse(raw.stdout, { columns: true }) as Array<Record<string, string>>)[0]!.notes).toBe('=HYPERLINK("x")')
  })

  test('csv is the default when piped', async () => {
    const r = await crm(['query', '--fields', 'first_name', '--country', 'DE'])
    expect(r.stdout).toBe('first_name\nAnna\n')
  })

  test('table aligns Cyrillic and CJK text', async () => {
    const r = await crm(['query', '--format', 'table', '--fields', 'first_name,company,city'], { COLUMNS: '80' })
    const lines = r.stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^first_name\s+company\s+city$/)
    const ola = lines.find((l) => l.startsWith('Оля'))!
    // 山田商事 is 8 columns wide: the city column starts at the same column as in the header.
    const { displayWidth } = await import('../../src/cli/output.js')
    expect(displayWidth(ola.slice(0, ola.indexOf('Москва')))).toBe(lines[0]!.indexOf('city'))
  })

  test('json of an empty result is an empty array; --count counts', async () => {
    const r = await crm(['query', '--city', 'Atlantis', '--format', 'json'])
    expect(JSON.parse(r.stdout)).toEqual([])
    expect((await crm(['query', '--count'])).stdout).toBe('3\n')
    expect((await crm(['query', '--count', '--tag', 'VIP'])).stdout).toBe('1\n')
  })

  test('--sort (repeatable, :desc), --limit and --offset', async () => {
    const r = await crm(['query', '--sort', 'spent_cents:desc', '--sort', 'last_name', '--fields', 'first_name', '--format', 'csv'])
    expect(r.stdout).toBe('first_name\nAnna\nОля\nBob\n')
    const page = await crm(['query', '--sort', 'first_name:desc', '--limit', '1', '--offset', '1', '--fields', 'first_name'])
    expect(page.stdout).toBe('first_name\nBob\n')
    const rest = await crm(['query', '--offset', '2', '--fields', 'first_name'])
    expect(rest.stdout).toBe('first_name\nОля\n')
  })

  test('an unknown sort field is a usage error listing the valid names, never SQL', async () => {
    const r = await crm(['query', '--sort', 'id; drop table customers'])
    expect(r.exitCode).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/^crm: --sort: unknown field "id; drop table customers" \(valid: id, external_id, .*spent_cents, orders, last_purchase_at, tags; add :desc to reverse\)\n$/)
    expect(queryDb(home.db, 'select count(*) as n from customers')[0]).toEqual({ n: 4 })
  })

  test('an unknown field is a usage error listing the valid names', async () => {
    const r = await crm(['query', '--fields', 'first_name,password'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^crm: unknown field "password" \(valid: id, external_id,/)
  })

  test('bad filter values exit 2 with one line', async () => {
    for (const [args, message] of [
      [['--spent-gt', 'lots'], 'crm: --spent-gt: "lots" is not an amount in USD (e.g. 500 or 499.99)\n'],
      [['--gender', 'q'], 'crm: --gender: "q" is not a gender (use f, m or x)\n'],
      [['--since', '2026-13-01'], 'crm: --since: "2026-13-01" is not a date (use YYYY-MM-DD)\n'],
      [['--limit', 'ten'], 'crm: --limit: "ten" is not a whole number\n'],
      [['--format', 'xml'], null],
    ] as const) {
      const r = await crm(['query', ...args])
      expect(r.exitCode).toBe(2)
      if (message) expect(r.stderr).toBe(message)
    }
  })

  test('the window follows the configured time zone', async () => {
    // 2026-11-24 00:30 in Berlin: "--days 0" is all of 24 Nov local, which holds no purchase;
    // in UTC it is still the 23rd. Anna's birthday (24 Nov) is today in Berlin.
    const tzHome = { CRM_NOW: '2026-11-23T23:30:00Z' }
    expect((await runCrm(['config', 'set', 'timezone', 'Europe/Berlin'], home.dir)).exitCode).toBe(0)
    try {
      const b = await crm(['query', '--birthday-within', '0', '--fields', 'first_name'], tzHome)
      expect(b.stdout).toBe('first_name\nAnna\n')
      const w = await crm(['query', '--since', '2026-11-20', '--until', '2026-11-20', '--spent-gt', '0', '--fields', 'first_name'], tzHome)
      expect(w.stdout).toBe('first_name\nОля\n')
    } finally {
      await runCrm(['config', 'set', 'timezone', 'UTC'], home.dir)
    }
    const u = await crm(['query', '--birthday-within', '0', '--fields', 'first_name'], { CRM_NOW: '2026-11-23T23:30:00Z' })
    expect(u.stdout).toBe('first_name\n')
  })

  test('--help shows the filter flags and an example', async () => {
    const r = await crm(['query', '--help'])
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('--spent-gt <amount>')
    expect(r.stdout).toContain('Example:\n  $ crm query --gender f --spent-gt 500 --days 30')
  })
})

describe('crm segment', () => {
  test('save, list, use with more flags, replace, remove', async () => {
    const saved = await crm(['segment', 'save', 'big spenders', '--spent-gt', '500', '--days', '30'])
    expect(saved.exitCode).toBe(0)
    expect(saved.stderr).toBe('segment "big spenders" saved: --days 30 --spent-gt 500.00 (2 customers match now)\n')
    const list = await crm(['segment', 'list', '--format', 'json'])
    expect(JSON.parse(list.stdout)).toMatchObject([{ name: 'big spenders', filter: '--days 30 --spent-gt 500.00' }])
    const used = await crm(['query', '--segment', 'big spenders', '--city', 'moskva', '--fields', 'first_name'])
    expect(used.stdout).toBe('first_name\nОля\n')
    const replaced = await crm(['segment', 'save', 'big spenders', '--spent-gt', '520', '--days', '30'])
    expect(replaced.stderr).toContain('replaced')
    expect((await crm(['query', '--segment', 'big spenders', '--count'])).stdout).toBe('1\n')
    // The command line's window replaces the saved one.
    expect((await crm(['query', '--segment', 'big spenders', '--since', '2026-11-20', '--count'])).stdout).toBe('0\n')
    const noYes = await crm(['segment', 'rm', 'big spenders'])
    expect(noYes.exitCode).toBe(2)
    expect(queryDb(home.db, 'select count(*) as n from segments')[0]).toEqual({ n: 1 })
    expect((await crm(['segment', 'rm', 'big spenders', '--yes'])).exitCode).toBe(0)
    expect(queryDb(home.db, 'select count(*) as n from segments')[0]).toEqual({ n: 0 })
  })

  test('errors: unknown segment, no filter, bad name, removing what is not there', async () => {
    const q = await crm(['query', '--segment', 'nope'])
    expect(q.exitCode).toBe(1)
    expect(q.stderr).toBe('crm: no segment named "nope" (crm segment list shows them)\n')
    expect((await crm(['segment', 'save', 'empty'])).exitCode).toBe(2)
    expect((await crm(['segment', 'save', '--bad', '--gender', 'f'])).exitCode).toBe(2)
    const rm = await crm(['segment', 'rm', 'nope', '--yes'])
    expect(rm.exitCode).toBe(1)
    expect(rm.stderr).toBe('crm: no segment named "nope"\n')
  })
})
