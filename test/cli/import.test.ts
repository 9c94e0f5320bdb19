import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { fixture, queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

const crm = (...args: string[]) => runCrm(['--db', home.db, ...args], home.dir, { env: { CRM_NOW: '2026-11-23T12:00:00Z' } })
type Row = Record<string, string | number | null>
const customers = (where = '1=1') => queryDb<Row>(home.db, `select * from customers where ${where} order by id`)
const count = (table: string) => (queryDb<{ n: number }>(home.db, `select count(*) as n from ${table}`)[0]!.n)

describe('crm import: files people really have', () => {
  test('a Google Contacts export: grouped columns, alternates, labels as tags, year-less birthday', async () => {
    const r = await crm('import', fixture('google-contacts.csv'))
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/2 inserted, 0 updated, 0 unchanged, 0 skipped, 0 rejected in \d+\.\d\d s/)
    const [lan, rob] = customers()
    expect(lan).toMatchObject({ first_name: 'Nguyễn', email: 'lan.nguyen@example.com', phone_e164: '+84901234567', city: 'Hà Nội', country: 'VN', company: 'Phở Hà Nội', city_key: 'ha noi' })
    expect(rob).toMatchObject({ email: 'rob.miller@example.com', phone: '(415) 555-0134', phone_e164: '+14155550134', birth_date: '--03-02', street: '500 Market St, Apt 4', region: 'CA', country: 'US' })
    const extra = JSON.parse(String(rob!.extra))
    expect(extra.alternate_emails).toEqual(['robert@work.example'])
    expect(extra.alternate_phones).toEqual(['(415) 555-0199'])
    expect(extra.Nickname).toBe('Rob')
    const tags = queryDb<{ name: string }>(home.db, 'select name from tags order by name').map((t) => t.name)
    expect(tags).toEqual(['VIP'])
  })

  test('quoted cells are trimmed: "  " is empty, " Anna " is Anna (csv-parse trims only outside quotes)', async () => {
    const csv = join(home.dir, 'quoted.csv')
    writeFileSync(csv, 'First Name,Last Name,E-mail Address,Home City,Company\n"  ","Meier"," a@example.com ","  Köln "," "\n" Anna ",Schulz,,,\n')
    const r = await crm('import', csv)
    expect(r.exitCode, r.stderr).toBe(0)
    const [meier, anna] = customers()
    expect(meier).toMatchObject({ first_name: null, last_name: 'Meier', email: 'a@example.com', city: 'Köln', company: null })
    expect(anna).toMatchObject({ first_name: 'Anna', last_name: 'Schulz' })
  })

  test('quoted purchase cells are trimmed too: the product is findable with --bought, a blank order id is none', async () => {
    writeFileSync(join(home.dir, 'c.csv'), 'first_name,email\nAnna,anna@example.com\n')
    expect((await crm('import', join(home.dir, 'c.csv'))).exitCode).toBe(0)
    const csv = join(home.dir, 'orders.csv')
    writeFileSync(csv, '"customer_email","date","product","amount","order_id"\n" anna@example.com ","2026-11-01"," Espresso machine "," 12.50 ","   "\n')
    const r = await crm('import', csv, '--type', 'purchases')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(queryDb<{ product: string; order_id: string | null }>(home.db, 'select product, order_id from purchases')).toEqual([
      { product: 'Espresso machine', order_id: null },
    ])
    const found = await crm('query', '--bought', 'Espresso machine', '--count')
    expect(found.stdout.trim()).toBe('1')
  })

  test('a legacy Google Contacts export with the country named in English', async () => {
    const r = await crm('import', fixture('google-legacy.csv'))
    expect(r.exitCode, r.stderr).toBe(0)
    expect(customers()[0]).toMatchObject({ first_name: 'Margaret', last_name: 'Thompson', gender: 'f', country: 'GB', phone_e164: '+447911123456' })
  })

  test('an Outlook desktop export: Home address preferred, Business kept as extra, categories as tags', async () => {
    const r = await crm('import', fixture('outlook.csv'), '--date-format', 'mdy')
    expect(r.exitCode, r.stderr).toBe(0)
    const [jane] = customers()
    expect(jane).toMatchObject({ first_name: 'Jane', gender: 'f', birth_date: '1980-04-01', street: '742 Evergreen Terrace', city: 'Springfield', region: 'OR', country: 'US', company: 'Acme Corp', job_title: 'Buyer' })
    expect(JSON.parse(String(jane!.extra))['Business Street']).toBe('1 Corporate Way')
    expect(queryDb(home.db, 'select name from tags order by name')).toEqual([{ name: 'Customers' }, { name: 'Gold' }])
  })

  test('an Outlook.com export with Home Country and a day-first birthday', async () => {
    const r = await crm('import', fixture('outlook-com.csv'), '--date-format', 'dmy')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(customers()[0]).toMatchObject({ last_name: 'Lefèvre', country: 'FR', birth_date: '1975-06-15', phone_e164: '+33142685300' })
  })

  test('a Mailchimp export: opt-in and unsubscribe become dated email consent, IP location is not the address', async () => {
    const r = await crm('import', fixture('mailchimp.csv'))
    expect(r.exitCode, r.stderr).toBe(0)
    const [sam, lee] = customers()
    expect(sam).toMatchObject({ consent_email: 'granted', consent_email_at: '2024-01-05T10:03:12.000Z', consent_email_source: 'Mailchimp opt-in', street: '123 Oak Ave, Suite 5', city: 'Portland', postal_code: '97201', birth_date: '--07-04' })
    expect(lee).toMatchObject({ consent_email: 'refused', consent_email_at: '2024-02-02T12:00:00.000Z', country: null })
    expect(JSON.parse(String(lee!.extra)).UNSUB_TIME).toBe('2024-02-02 12:00:00')
  })

  test('a HubSpot export: record id as external id, owner as rep, unsubscribed as refusal', async () => {
    const r = await crm('import', fixture('hubspot.csv'))
    expect(r.exitCode, r.stderr).toBe(0)
    const [olga, carlos] = customers()
    expect(olga).toMatchObject({ external_id: '5101', sales_rep: 'Ann Lee', source: 'Organic Search', country: 'RU', company: 'ООО Ромашка', consent_email: 'unknown' })
    expect(carlos).toMatchObject({ external_id: '5102', consent_email: 'refused', phone_e164: '+34612345678' })
  })

  test('a Windows-1251 semicolon file with Cyrillic headers and names', async () => {
    const r = await crm('import', fixture('cyrillic-1251.csv'))
    expect(r.exitCode, r.stderr).toBe(0)
    const rows = customers()
    expect(rows.map((c) => [c.first_name, c.last_name, c.city, c.country])).toEqual([
      ['Александр', 'Пушкин', 'Санкт-Петербург', 'RU'],
      ['Наталья', 'Гончарова', 'Москва', 'RU'],
    ])
    expect(rows[1]!.phone_e164).toBe('+74951234567')
  })

  test('an Excel "Unicode text" file: UTF-16LE with BOM and tabs', async () => {
    const r = await crm('import', fixture('utf16-tab.txt'))
    expect(r.exitCode, r.stderr).toBe(0)
    expect(customers().map((c) => [c.first_name, c.city])).toEqual([
      ['Zoë', 'São Paulo'],
      ['مریم', 'تهران'],
    ])
  })

  test('a Windows-1252 file is detected; --encoding forces a reading', async () => {
    const r = await crm('import', fixture('latin-1252.csv'))
    expect(r.exitCode, r.stderr).toBe(0)
    expect(customers().map((c) => c.last_name)).toEqual(['Lefèvre', 'Groß'])
    const bad = await crm('import', fixture('latin-1252.csv'), '--encoding', 'klingon')
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('unknown encoding "klingon"')
  })

  test('invalid UTF-8 forced as UTF-8 is refused, nothing written', async () => {
    const r = await crm('import', fixture('latin-1252.csv'), '--encoding', 'utf-8')
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/not valid UTF-8 near byte \d+ .*--encoding windows-1252/)
    expect(count('customers')).toBe(0)
  })
})

describe('crm import: bad input leaves the database as it was', () => {
  test('a broken quote names the line and imports nothing', async () => {
    const r = await crm('import', fixture('broken-quote.csv'))
    expect(r.exitCode).toBe(1)
    expect(r.stderr.trim()).toBe('crm: broken-quote.csv:3: malformed CSV: a quoted field is never closed (a missing " in this record); nothing imported')
    expect(count('customers')).toBe(0)
  })

  test('bad emails and impossible dates reject the whole import, listing FILE:LINE: field: reason', async () => {
    const r = await crm('import', fixture('bad-rows.csv'))
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('bad-rows.csv:3: email: "bob@" is not an email address')
    expect(r.stderr).toContain('bad-rows.csv:4: birth_date: "2023-02-30" is not a date (no day 30 in that month)')
    expect(r.stderr).toContain('2 of 4 rows rejected; nothing imported')
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/)
    expect(count('customers')).toBe(0)
    expect(count('audit')).toBe(0)
  })

  test('--skip-invalid imports the good rows and writes the rejected ones, as they were, with reasons', async () => {
    const rejects = join(home.dir, 'rejects.csv')
    const r = await crm('import', fixture('bad-rows.csv'), '--skip-invalid', '--rejects', rejects)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain('2 inserted, 0 updated, 0 unchanged, 0 skipped, 2 rejected')
    expect(r.stderr).toContain(`rejected rows written to ${rejects}`)
    expect(customers().map((c) => c.first_name)).toEqual(['Ann', 'Di'])
    expect(readFileSync(rejects, 'utf8')).toBe(
      'first_name,last_name,email,birth_date,gender,crm_line,crm_error\n' +
        'Bob,Stone,bob@,1985-05-05,m,3,"email: ""bob@"" is not an email address"\n' +
        'Cy,Twain,cy@example.com,2023-02-30,m,4,"birth_date: ""2023-02-30"" is not a date (no day 30 in that month)"\n',
    )
    expect(statSync(rejects).mode & 0o777).toBe(0o600)
  })

  test('payment card numbers are refused, and masked even in the rejects file', async () => {
    const r = await crm('import', fixture('card-number.csv'))
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('card-number.csv:2: Card: looks like a payment card number; crm never stores card numbers (drop the column with --map "Card=-")')
    expect(count('customers')).toBe(0)
    const rejects = join(home.dir, 'r.csv')
    const skip = await crm('import', fixture('card-number.csv'), '--skip-invalid', '--rejects', rejects)
    expect(skip.exitCode).toBe(0)
    expect(readFileSync(rejects, 'utf8')).not.toContain('4111 1111 1111 1111')
    expect(readFileSync(rejects, 'utf8')).toContain('1111')
    const dropped = await crm('import', fixture('card-number.csv'), '--map', 'Card=-')
    expect(dropped.exitCode, dropped.stderr).toBe(0)
    expect(queryDb(home.db, "select count(*) as n from customers where extra like '%4111%'")).toEqual([{ n: 0 }])
  })

  test('a missing file, an empty file, and a wrong flag value', async () => {
    const missing = await crm('import', join(home.dir, 'nope.csv'))
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr.trim()).toBe(`crm: ${join(home.dir, 'nope.csv')}: no such file`)
    const empty = join(home.dir, 'empty.csv')
    writeFileSync(empty, '')
    const e = await crm('import', empty)
    expect(e.exitCode).toBe(1)
    expect(e.stderr).toContain('empty.csv: the file is empty')
    const flag = await crm('import', fixture('bad-rows.csv'), '--on-conflict', 'merge')
    expect(flag.exitCode).toBe(2)
    expect(flag.stderr).toContain("argument 'merge' is invalid")
  })

  test('a row with more fields than the header is rejected, not shifted', async () => {
    const f = join(home.dir, 'shifted.csv')
    writeFileSync(f, 'first_name,email\nAnn,ann@example.com\nBob,Smith,bob@example.com\n')
    const r = await crm('import', f)
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('shifted.csv:3: (row): 3 fields but the header has 2')
  })

  test('--map with an unknown field or column is a usage error', async () => {
    const r = await crm('import', fixture('bad-rows.csv'), '--map', 'first_name=nickname')
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('--map: unknown field "nickname" for customers')
    const c = await crm('import', fixture('bad-rows.csv'), '--map', 'Vorname=first_name')
    expect(c.exitCode).toBe(2)
    expect(c.stderr).toContain('--map: no column "vorname"')
  })
})

describe('crm import: again and again', () => {
  test('importing the same file twice changes nothing the second time', async () => {
    expect((await crm('import', fixture('hubspot.csv'))).exitCode).toBe(0)
    const before = customers()
    const again = await crm('import', fixture('hubspot.csv'))
    expect(again.exitCode).toBe(0)
    expect(again.stderr).toContain('0 inserted, 0 updated, 2 unchanged')
    expect(customers()).toEqual(before)
  })

  test('update fills and replaces from non-empty cells, never erases; skip and error modes', async () => {
    const a = join(home.dir, 'a.csv')
    writeFileSync(a, 'email,first_name,city,phone\nANN@example.com,Ann,Boston,617-555-0101\n')
    expect((await crm('import', a)).exitCode).toBe(0)
    const b = join(home.dir, 'b.csv')
    writeFileSync(b, 'email,first_name,city,phone\nann@example.com,Annie,,\n')
    const r = await crm('import', b)
    expect(r.stderr).toContain('0 inserted, 1 updated')
    expect(customers()[0]).toMatchObject({ first_name: 'Annie', city: 'Boston', phone: '617-555-0101', email: 'ann@example.com' })
    const c = join(home.dir, 'c.csv')
    writeFileSync(c, 'email,first_name\nann@example.com,Anna\n')
    expect((await crm('import', c, '--on-conflict', 'skip')).stderr).toContain('1 skipped')
    expect(customers()[0]!.first_name).toBe('Annie')
    const err = await crm('import', c, '--on-conflict', 'error')
    expect(err.exitCode).toBe(1)
    expect(err.stderr).toContain('c.csv:2: email: customer 1 already exists (--on-conflict error)')
  })

  test('purchases by order and line: money in cents, currency kept, refunds negative, re-import unchanged', async () => {
    await crm('import', fixture('hubspot.csv'))
    const people = join(home.dir, 'people.csv')
    writeFileSync(people, 'email,first_name\nanna@example.com,Anna\nbob@example.com,Bob\n')
    await crm('import', people)
    const r = await crm('import', fixture('purchases.csv'))
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain(`imported ${fixture('purchases.csv')} (purchases): 3 inserted`)
    const rows = queryDb(home.db, 'select customer_id, purchased_at, amount_cents, currency, product, order_id, line from purchases order by id')
    expect(rows).toEqual([
      { customer_id: 3, purchased_at: '2026-11-01T00:00:00.000Z', amount_cents: 4990, currency: 'EUR', product: 'Tea set', order_id: 'A-1001', line: 1 },
      { customer_id: 3, purchased_at: '2026-11-01T00:00:00.000Z', amount_cents: 123450, currency: 'EUR', product: 'Sofa', order_id: 'A-1001', line: 2 },
      { customer_id: 4, purchased_at: '2026-11-10T15:30:00.000Z', amount_cents: -500, currency: 'USD', product: 'Mug', order_id: 'A-1002', line: 1 },
    ])
    const again = await crm('import', fixture('purchases.csv'))
    expect(again.stderr).toContain('0 inserted, 0 updated, 3 unchanged')
    expect(count('purchases')).toBe(3)
  })

  test('purchase dates are local to the configured time zone', async () => {
    await runCrm(['config', 'set', 'timezone', 'America/New_York'], home.dir)
    const people = join(home.dir, 'people.csv')
    writeFileSync(people, 'email\nanna@example.com\n')
    await crm('import', people)
    const p = join(home.dir, 'p.csv')
    writeFileSync(p, 'customer_email,purchased_at,amount\nanna@example.com,2026-07-01 09:30,10\nanna@example.com,2026-12-01,$20.00\n')
    const r = await crm('import', p)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(queryDb(home.db, 'select purchased_at, amount_cents, currency from purchases order by id')).toEqual([
      { purchased_at: '2026-07-01T13:30:00.000Z', amount_cents: 1000, currency: 'USD' },
      { purchased_at: '2026-12-01T05:00:00.000Z', amount_cents: 2000, currency: 'USD' },
    ])
  })

  test('NPS answers: unknown people reported, or kept anonymously with --keep-unmatched', async () => {
    const people = join(home.dir, 'people.csv')
    writeFileSync(people, 'email\nanna@example.com\nbob@example.com\n')
    await crm('import', people)
    const r = await crm('import', fixture('nps.csv'))
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('nps.csv:4: customer_email: no customer stranger@example.com (--keep-unmatched keeps the answer anonymously)')
    expect(count('nps_answers')).toBe(0)
    const k = await crm('import', fixture('nps.csv'), '--keep-unmatched')
    expect(k.exitCode, k.stderr).toBe(0)
    expect(k.stderr).toContain('3 inserted')
    expect(k.stderr).toContain('1 from unknown people kept anonymously')
    expect(queryDb(home.db, 'select customer_id, score, campaign from nps_answers order by id')).toEqual([
      { customer_id: 1, score: 9, campaign: 'autumn' },
      { customer_id: 2, score: 3, campaign: 'autumn' },
      { customer_id: null, score: 10, campaign: 'autumn' },
    ])
  })

  test('a score outside 0-10 is rejected', async () => {
    const people = join(home.dir, 'people.csv')
    writeFileSync(people, 'email\nanna@example.com\n')
    await crm('import', people)
    const f = join(home.dir, 'n.csv')
    writeFileSync(f, 'email,score,date\nanna@example.com,11,2026-01-01\nanna@example.com,7.5,2026-01-02\n')
    const r = await crm('import', f, '--type', 'nps')
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('n.csv:2: score: "11" is not a score (a whole number from 0 to 10)')
    expect(r.stderr).toContain('n.csv:3: score: "7.5" is not a score')
  })

  test('interactions import, type detected from the header', async () => {
    const people = join(home.dir, 'people.csv')
    writeFileSync(people, 'email\nanna@example.com\nbob@example.com\n')
    await crm('import', people)
    const r = await crm('import', fixture('interactions.csv'))
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain('(interactions): 2 inserted')
    expect(queryDb(home.db, 'select customer_id, channel, kind from interactions order by id')).toEqual([
      { customer_id: 1, channel: 'phone', kind: 'call' },
      { customer_id: 2, channel: 'email', kind: 'complaint' },
    ])
  })
})

describe('crm import: --dry-run and --format json', () => {
  test('--dry-run prints the mapping and writes nothing', async () => {
    const r = await crm('import', fixture('outlook.csv'), '--dry-run')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain('format: Outlook')
    expect(r.stderr).toContain('"E-mail Address", "E-mail 2 Address", "E-mail 3 Address" → email')
    expect(r.stderr).toContain('"Home Street" → street (address 1)')
    expect(r.stderr).toContain('dry run, nothing written')
    expect(r.stderr).toContain('would be 1 inserted')
    expect(count('customers')).toBe(0)
  })

  test('--format json prints the summary on stdout for scripts', async () => {
    const r = await crm('import', fixture('hubspot.csv'), '--format', 'json', '--quiet')
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toBe('')
    const s = JSON.parse(r.stdout)
    expect(s).toMatchObject({ type: 'customers', format: 'HubSpot', rows: 2, inserted: 2, rejected: 0, committed: true })
  })

  test('quoted fields with newlines and CRLF keep line numbers right', async () => {
    const f = join(home.dir, 'multi.csv')
    writeFileSync(f, 'first_name,notes,email\r\nAnn,"line one\r\nline two",ann@example.com\r\nBob,x,not-an-email\r\n')
    const r = await crm('import', f)
    expect(r.stderr).toContain('multi.csv:4: email: "not-an-email" is not an email address')
    await crm('import', f, '--skip-invalid', '--rejects', join(home.dir, 'rj.csv'))
    expect(customers()[0]!.notes).toBe('line one\r\nline two')
    expect(existsSync(join(home.dir, 'rj.csv'))).toBe(true)
  })
})

describe('crm import: vCard', () => {
  test('a vCard file (4.0 and 3.0 cards) is detected and imported as customers', async () => {
    const r = await crm('import', fixture('contacts.vcf'))
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain('(customers): 2 inserted')
    expect(customers().map((c) => [c.first_name, c.last_name, c.email, c.phone_e164, c.city, c.country, c.birth_date])).toEqual([
      ['Олег', 'Иванов', 'oleg@example.ru', '+74951234567', 'Москва', 'RU', '1990-01-30'],
      ['Lan', 'Nguyễn', 'lan@example.vn', null, null, null, null],
    ])
    expect(queryDb(home.db, 'select name from tags order by name')).toEqual([{ name: 'friends' }, { name: 'vip' }])
    expect((await crm('import', fixture('contacts.vcf'))).stderr).toContain('2 unchanged')
  })

  test('a card without END:VCARD is a clear error and nothing is imported', async () => {
    const r = await crm('import', fixture('unterminated.vcf'))
    expect(r.exitCode).toBe(1)
    expect(r.stderr.trim()).toBe("crm: unterminated.vcf:5: vCard: BEGIN:VCARD inside the card begun on line 1 (a missing END:VCARD)")
    expect(count('customers')).toBe(0)
  })
})

describe('crm import --dedupe', () => {
  const first = 'first_name,last_name,email,phone,city\nRobert,Smith,rob@example.com,+1 415 555 0134,Boston\nAnna,Lee,anna@example.com,,Paris\n'
  const second = 'first_name,last_name,email,phone,city,job_title\nRob,Smith,bobby@other.example,(415) 555-0134,Boston,Chef\nZed,Nobody,zed@example.com,,Oslo,\n'
  async function arrange(): Promise<string> {
    const a = join(home.dir, 'first.csv')
    writeFileSync(a, first)
    expect((await crm('import', a)).exitCode).toBe(0)
    const b = join(home.dir, 'second.csv')
    writeFileSync(b, second)
    return b
  }

  test('skip: the likely duplicate is listed with its reasons and not inserted', async () => {
    const b = await arrange()
    const r = await crm('import', b, '--dedupe', '--on-duplicate', 'skip')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain('1 inserted, 0 updated, 0 unchanged, 1 skipped')
    expect(r.stderr).toMatch(/second\.csv:2: looks like customer 1 \(\d+%: same phone; first name Robert ≈ Rob \(nickname\).*\); skipped/)
    expect(customers().map((c) => c.first_name)).toEqual(['Robert', 'Anna', 'Zed'])
  })

  test('keep (default): inserted, but listed', async () => {
    const b = await arrange()
    const r = await crm('import', b, '--dedupe')
    expect(r.stderr).toContain('2 inserted')
    expect(r.stderr).toContain('looks like customer 1')
    expect(r.stderr).toContain('added anyway')
    expect(count('customers')).toBe(4)
  })

  test('merge: the row updates the matched customer, keeping the other email as an alternate', async () => {
    const b = await arrange()
    const r = await crm('import', b, '--dedupe', '--on-duplicate', 'merge')
    expect(r.stderr).toContain('1 inserted, 1 updated')
    expect(count('customers')).toBe(3)
    expect(customers()[0]).toMatchObject({ id: 1, first_name: 'Rob', job_title: 'Chef', email: 'bobby@other.example' })
    expect(JSON.parse(String(customers()[0]!.extra)).alternate_emails).toEqual(['rob@example.com'])
    expect(JSON.parse(String(customers()[0]!.extra)).alternate_phones).toEqual(['+1 415 555 0134'])
  })

  test('without --dedupe, nothing is compared', async () => {
    const b = await arrange()
    const r = await crm('import', b)
    expect(r.stderr).not.toContain('looks like')
    expect(count('customers')).toBe(4)
  })
})

describe('crm import: header variants', () => {
  test('common header spellings, spaces after commas, and Full Name split into parts', async () => {
    const f = join(home.dir, 'variants.csv')
    writeFileSync(f, 'Full Name, E-mail , Zip, State, Town, Mobile, Sex, DOB, Company Name\n"Smith, Anna", anna@example.com , 02108, MA, Boston, 617-555-0101, W, 1990-05-06, Smith & Co\n')
    const r = await crm('import', f)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(customers()[0]).toMatchObject({
      first_name: 'Anna', last_name: 'Smith', email: 'anna@example.com', postal_code: '02108', region: 'MA', city: 'Boston',
      phone_e164: '+16175550101', gender: 'f', birth_date: '1990-05-06', company: 'Smith & Co', extra: null,
    })
    const s = join(home.dir, 'surname.csv')
    writeFileSync(s, 'Vorname;Surname;Email\nJürgen;Groß;j@example.de\n')
    expect((await crm('import', s)).exitCode).toBe(0)
    expect(customers()[1]).toMatchObject({ first_name: 'Jürgen', last_name: 'Groß' })
  })

  test('purchases without a line number are the same purchase by order id and product', async () => {
    const people = join(home.dir, 'people.csv')
    writeFileSync(people, 'email\nanna@example.com\n')
    await crm('import', people)
    const p = join(home.dir, 'orders.csv')
    writeFileSync(p, 'email,date,total,product,order\nanna@example.com,2026-11-01,10.00,Tea,A1\nanna@example.com,2026-11-01,5.00,Mug,A1\n')
    expect((await crm('import', p)).stderr).toContain('(purchases): 2 inserted')
    writeFileSync(p, 'email,date,total,product,order\nanna@example.com,2026-11-01,12.00,Tea,A1\nanna@example.com,2026-11-01,5.00,Mug,A1\n')
    expect((await crm('import', p)).stderr).toContain('0 inserted, 1 updated, 1 unchanged')
    expect(queryDb(home.db, 'select product, amount_cents from purchases order by id')).toEqual([
      { product: 'Tea', amount_cents: 1200 },
      { product: 'Mug', amount_cents: 500 },
    ])
  })
})
