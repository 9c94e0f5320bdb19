import { existsSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
const NOW = '2026-11-23T12:00:00.000Z'
const crm = (args: string[], env: Record<string, string> = {}) => runCrm([...args, '--db', home.db], home.dir, { env: { CRM_NOW: NOW, ...env } })
const one = <T = Record<string, unknown>>(sql: string, ...p: unknown[]) => queryDb<T>(home.db, sql, ...p)[0]!

beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

async function addAna(): Promise<void> {
  const r = await crm(['add', '--first-name', 'Ana', '--last-name', 'Silva', '--email', 'Ana@Example.com', '--phone', '(415) 555-0100',
    '--city', 'São Paulo', '--state', 'SP', '--tag', 'vip', '--consent-email', 'yes', '--external-id', 'K-1001'])
  expect(r.exitCode, r.stderr).toBe(0)
}

describe('crm add', () => {
  test('prints the new id and stores fields, folded keys, E.164 phone, tags, consent and an audit row', async () => {
    const r = await crm(['add', '--first-name', 'Ana', '--last-name', 'Silva', '--email', 'Ana@Example.com', '--phone', '(415) 555-0100',
      '--city', 'São Paulo', '--state', 'SP', '--tag', 'vip', '--consent-email', 'yes'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('1\n')
    expect(r.stderr).toBe('added customer 1\n')
    const c = one('select * from customers where id = 1')
    expect(c).toMatchObject({
      first_name: 'Ana', email: 'Ana@Example.com', email_norm: 'ana@example.com', phone_e164: '+14155550100', city: 'São Paulo',
      city_key: 'sao paulo', region: 'SP', region_key: 'sp', consent_email: 'granted', consent_email_at: NOW, consent_email_source: 'crm add',
      created_at: NOW, updated_at: NOW,
    })
    expect(c.search_key).toBe('ana silva ana@example.com 4155550100 14155550100')
    expect(queryDb(home.db, 'select t.name from tags t join customer_tags ct on ct.tag_id = t.id')).toEqual([{ name: 'vip' }])
    expect(one('select action, customer_id from audit')).toEqual({ action: 'add', customer_id: 1 })
  })

  test('a bad value is a usage error naming the flag, and nothing is written', async () => {
    const r = await crm(['add', '--first-name', 'Ana', '--birth-date', '03/04/1990'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toBe('crm: --birth-date: "03/04/1990" is not a date (use YYYY-MM-DD, or --MM-DD without the year)\n')
    const bad = await crm(['add', '--first-name', 'Ana', '--email', 'not-an-email'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('--email: "not-an-email" is not an email address')
    // Flags are checked before the database is even opened.
    expect(existsSync(home.db)).toBe(false)
  })

  test('no name, company or email in a script is refused; a second customer with the same email too', async () => {
    const r = await crm(['add', '--city', 'Berlin'])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('a customer needs a name, a company or an email')
    await addAna()
    const dup = await crm(['add', '--first-name', 'Other', '--email', 'ana@example.com'])
    expect(dup.exitCode).toBe(1)
    expect(dup.stderr).toContain('customer 1 already has the email ana@example.com')
    const ok = await crm(['add', '--first-name', 'Other', '--email', 'ana@example.com', '--allow-duplicate'])
    expect(ok.exitCode, ok.stderr).toBe(0)
    expect(one<{ n: number }>('select count(*) n from customers').n).toBe(2)
  })
})

describe('customers are addressed by id, email or external id', () => {
  test('show finds the same customer by all three; an unknown ref is named; a shared email lists both ids', async () => {
    await addAna()
    for (const ref of ['1', 'ana@example.com', 'ANA@example.COM', 'K-1001', 'ext:K-1001', 'id:1']) {
      const r = await crm(['show', ref, '--format', 'json'])
      expect(r.exitCode, `${ref}: ${r.stderr}`).toBe(0)
      expect(JSON.parse(r.stdout).id).toBe(1)
    }
    const missing = await crm(['show', 'nobody@example.com'])
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toBe('crm: no customer "nobody@example.com" (give an id, an email or an external id)\n')
    await crm(['add', '--first-name', 'Ben', '--email', 'ana@example.com', '--allow-duplicate'])
    const shared = await crm(['show', 'ana@example.com'])
    expect(shared.exitCode).toBe(1)
    expect(shared.stderr).toBe('crm: ana@example.com is the email of customers 1 and 2: give the id instead\n')
  })
})

describe('crm show', () => {
  test('text and JSON carry the same profile: fields, tags, consent, purchase summary, contacts, NPS', async () => {
    await addAna()
    await crm(['purchase', 'add', '1', '--amount', '49.90', '--product', 'Jacket', '--category', 'outerwear', '--date', '2026-10-01'])
    await crm(['purchase', 'add', '1', '--amount', '10', '--product', 'Socks', '--category', 'basics', '--date', '2026-11-01'])
    await crm(['purchase', 'add', '1', '--amount', '20.10', '--product', 'Hat', '--category', 'outerwear', '--date', '2026-11-10'])
    await crm(['log', '1', '--channel', 'phone', '--kind', 'call', 'Asked about the sale', '--date', '2026-11-20T10:00:00Z'])
    const r = await crm(['show', 'ana@example.com'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toContain('Ana Silva  (customer 1)')
    expect(r.stdout).toContain('Phone:       (415) 555-0100  (+14155550100)')
    expect(r.stdout).toContain('Tags:        vip')
    expect(r.stdout).toContain('  email  granted on 2026-11-23 (crm add)')
    expect(r.stdout).toContain('  sms    unknown — not contacted for campaigns')
    expect(r.stdout).toContain('  3 purchases, total 80.00 USD, average 26.67 USD')
    expect(r.stdout).toContain('  first 2026-10-01, last 2026-11-10, favourite category outerwear')
    expect(r.stdout).toContain('  2026-11-20 10:00  phone call: Asked about the sale')
    const j = JSON.parse((await crm(['show', '1', '--format', 'json'])).stdout)
    expect(j.fields.city).toBe('São Paulo')
    expect(j.tags).toEqual(['vip'])
    expect(j.consent.email).toEqual({ status: 'granted', at: NOW, source: 'crm add', allowed: true })
    expect(j.purchases).toEqual({
      count: 3, first: '2026-10-01T00:00:00.000Z', last: '2026-11-10T00:00:00.000Z', favourite_category: 'outerwear',
      by_currency: [{ currency: 'USD', purchases: 3, total_cents: 8000, average_cents: 2667 }],
    })
    expect(j.last_contacts).toEqual([{ occurred_at: '2026-11-20T10:00:00.000Z', channel: 'phone', kind: 'call', note: 'Asked about the sale' }])
    expect(j.nps).toEqual([])
  })
})

describe('crm edit', () => {
  test('changes fields, refreshes keys and updated_at, and audits each change', async () => {
    await addAna()
    const r = await crm(['edit', 'K-1001', '--city', 'Zürich', '--phone', '+41 44 123 45 67', '--notes', 'likes green'], { CRM_NOW: '2026-11-24T09:00:00.000Z' })
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toBe('customer 1: changed phone, city, notes\n')
    const c = one('select city, city_key, phone_e164, search_key, updated_at from customers')
    expect(c).toEqual({ city: 'Zürich', city_key: 'zurich', phone_e164: '+41441234567', search_key: 'ana silva ana@example.com 41441234567 41441234567', updated_at: '2026-11-24T09:00:00.000Z' })
    const audit = one<{ details: string }>("select details from audit where action = 'edit'")
    expect(JSON.parse(audit.details)).toEqual({ changes: { phone: { from: '(415) 555-0100', to: '+41 44 123 45 67' }, city: { from: 'São Paulo', to: 'Zürich' }, notes: { from: null, to: 'likes green' } } })
  })

  test('an empty value clears a field; no change writes nothing; no flag is a usage error', async () => {
    await addAna()
    expect((await crm(['edit', '1', '--city', ''])).exitCode).toBe(0)
    expect(one('select city, city_key from customers')).toEqual({ city: null, city_key: null })
    const same = await crm(['edit', '1', '--first-name', 'Ana'], { CRM_NOW: '2026-12-01T00:00:00.000Z' })
    expect(same.stderr).toBe('customer 1: nothing changed\n')
    expect(one('select updated_at from customers')).toEqual({ updated_at: NOW })
    await crm(['add', '--first-name', 'Ben', '--email', 'ben@example.com'])
    const dup = await crm(['edit', '2', '--email', 'ANA@example.com'])
    expect(dup.exitCode).toBe(1)
    expect(dup.stderr).toBe('crm: customer 1 already has the email ANA@example.com (--allow-duplicate sets it anyway)\n')
    expect((await crm(['edit', '2', '--email', 'ANA@example.com', '--allow-duplicate'])).exitCode).toBe(0)
    const none = await crm(['edit', '1'])
    expect(none.exitCode).toBe(2)
    expect(none.stderr).toContain('nothing to change')
  })
})

describe('crm rm', () => {
  test('without --yes in a script it exits 2 and changes nothing', async () => {
    await addAna()
    await crm(['purchase', 'add', '1', '--amount', '5'])
    const r = await crm(['rm', '1'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toBe('crm: rm deletes customer 1 (Ana Silva) with 1 purchases and 0 contacts: add --yes to confirm (stdin is not a terminal, so crm cannot ask)\n')
    expect(one<{ n: number }>('select count(*) n from customers').n).toBe(1)
    expect(one<{ n: number }>('select count(*) n from purchases').n).toBe(1)
  })

  test('with --yes it deletes the customer, purchases and tags, and leaves an audit row with counts only', async () => {
    await addAna()
    await crm(['purchase', 'add', '1', '--amount', '5'])
    const r = await crm(['rm', 'ana@example.com', '--yes'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(one<{ n: number }>('select count(*) n from customers').n).toBe(0)
    expect(one<{ n: number }>('select count(*) n from purchases').n).toBe(0)
    expect(one<{ n: number }>('select count(*) n from customer_tags').n).toBe(0)
    const audit = one<{ details: string; customer_id: number }>("select customer_id, details from audit where action = 'rm'")
    expect(audit.customer_id).toBe(1)
    expect(JSON.parse(audit.details)).toEqual({ purchases: 1, interactions: 0, npsAnswers: 0 })
  })
})

describe('crm tag / untag', () => {
  test('adds and removes tags, stamps updated_at, audits, and says when nothing changed', async () => {
    await addAna()
    const r = await crm(['tag', '1', 'newsletter', 'vip', 'wholesale'], { CRM_NOW: '2026-11-25T00:00:00.000Z' })
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toBe('customer 1 tagged: newsletter, wholesale\n')
    expect(one('select updated_at from customers')).toEqual({ updated_at: '2026-11-25T00:00:00.000Z' })
    const u = await crm(['untag', 'K-1001', 'vip', 'nope'])
    expect(u.stderr).toBe('customer 1 untagged: vip\n')
    expect(JSON.parse((await crm(['show', '1', '--format', 'json'])).stdout).tags).toEqual(['newsletter', 'wholesale'])
    expect(queryDb(home.db, "select action from audit where action in ('tag', 'untag') order by id")).toEqual([{ action: 'tag' }, { action: 'untag' }])
    const bad = await crm(['tag', '1', 'a,b'])
    expect(bad.exitCode).toBe(2)
  })
})

describe('crm purchase add', () => {
  test('stores integer cents, currency, local-midnight date, and stamps updated_at', async () => {
    await crm(['config', 'set', 'timezone', 'Europe/Berlin'])
    await addAna()
    const r = await crm(['purchase', 'add', 'K-1001', '--amount', '1,249.90', '--currency', 'eur', '--product', 'Sofa', '--quantity', '2', '--order', 'A-7', '--date', '2026-11-20'], { CRM_NOW: '2026-11-23T15:00:00.000Z' })
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('1\n')
    expect(one('select customer_id, purchased_at, product, quantity, amount_cents, currency, order_id from purchases')).toEqual({
      customer_id: 1, purchased_at: '2026-11-19T23:00:00.000Z', product: 'Sofa', quantity: 2, amount_cents: 124990, currency: 'EUR', order_id: 'A-7',
    })
    expect(one('select updated_at from customers')).toEqual({ updated_at: '2026-11-23T15:00:00.000Z' })
    const bad = await crm(['purchase', 'add', '1', '--amount', '12.345'])
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('--amount: "12.345" is not an amount in USD')
  })
})

describe('crm log', () => {
  test('records a contact; the same channel within --days is refused with exit 1 unless --force', async () => {
    await addAna()
    const first = await crm(['log', '1', '--channel', 'phone', '--kind', 'call', 'Asked about the sale'], { CRM_NOW: '2026-11-20T10:00:00.000Z' })
    expect(first.exitCode, first.stderr).toBe(0)
    const again = await crm(['log', '1', '--channel', 'phone', '--kind', 'call', 'Second call'])
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toBe('crm: Ana Silva was already contacted by phone on 2026-11-20 10:00 UTC (3 days ago, call); not recorded (--force records it anyway)\n')
    expect(one<{ n: number }>('select count(*) n from interactions').n).toBe(1)
    // Another channel, or a shorter window, is no repeat.
    expect((await crm(['log', '1', '--channel', 'email', '--kind', 'note', 'Sent the catalogue'])).exitCode).toBe(0)
    expect((await crm(['log', '1', '--channel', 'phone', '--kind', 'call', 'Short window', '--days', '2'])).exitCode).toBe(0)
    const forced = await crm(['log', '1', '--channel', 'phone', '--kind', 'complaint', 'Called back angry', '--force'])
    expect(forced.exitCode, forced.stderr).toBe(0)
    expect(forced.stderr).toContain('crm: warning: Ana Silva was already contacted by phone on 2026-11-23 12:00 UTC (today, call)')
    expect(one<{ n: number }>('select count(*) n from interactions').n).toBe(4)
  })

  test('a channel outside the list is a usage error', async () => {
    await addAna()
    const r = await crm(['log', '1', '--channel', 'pigeon', 'hi'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain("'pigeon' is invalid")
  })
})

describe('crm consent', () => {
  test('records a refusal with date and source, audits it, and shows the state without flags', async () => {
    await addAna()
    const r = await crm(['consent', 'ana@example.com', '--email', 'no', '--mail', 'yes', '--source', 'phone call'], { CRM_NOW: '2026-11-24T08:00:00.000Z' })
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toBe('customer 1: email granted → refused\ncustomer 1: mail unknown → granted\n')
    expect(one('select consent_email, consent_email_at, consent_email_source, consent_mail, updated_at from customers')).toEqual({
      consent_email: 'refused', consent_email_at: '2026-11-24T08:00:00.000Z', consent_email_source: 'phone call', consent_mail: 'granted', updated_at: '2026-11-24T08:00:00.000Z',
    })
    const audit = JSON.parse(one<{ details: string }>("select details from audit where action = 'consent'").details)
    expect(audit.changes).toEqual({ email: { from: 'granted', to: 'refused' }, mail: { from: 'unknown', to: 'granted' } })
    const show = await crm(['consent', '1'])
    expect(show.stdout.split('\n')[1]).toBe('email\trefused\t2026-11-24T08:00:00.000Z\tphone call\tno')
    const bad = await crm(['consent', '1', '--sms', 'perhaps'])
    expect(bad.exitCode).toBe(2)
  })
})
