import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { openSqliteDb, type SqliteCrmDb as CrmDb } from '../../src/db/openDb.js'
import { customerIdsMatching, purchaseWindow, type FilterContext } from '../../src/query/customerFilter.js'
import type { FilterSpec } from '../../src/query/filterSpec.js'
import { addCustomers, addPurchases, tagCustomer } from '../helpers/customerData.js'

const NOW = new Date('2026-11-23T12:00:00Z')
const utc: FilterContext = { now: NOW, config: { currency: 'USD', timezone: 'UTC' } }

async function ids(crm: CrmDb, spec: FilterSpec, ctx: FilterContext = utc): Promise<number[]> {
  const rows = await customerIdsMatching(crm.db, spec, ctx).orderBy('customers.id').execute()
  return rows.map((r) => r.id)
}

let dir: string
let crm: CrmDb
const id: Record<string, number> = {}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-filter-'))
  crm = await openSqliteDb(join(dir, 'crm.db'))
  const [anna, bob, chloe, ivan, huong, gone, sam] = await addCustomers(crm.db, [
    {
      first_name: 'Anna', last_name: 'Müller', gender: 'f', birth_date: '1990-05-10', city: 'München', region: 'Bayern',
      postal_code: '80331', country: 'DE', territory: 'Süd', sales_rep: 'Jörg Schmidt', source: 'Google',
      email: 'anna.mueller@web.de', phone: '+49 89 1234567', consent_email: 'granted',
    },
    {
      first_name: 'Bob', last_name: 'Smith', gender: 'm', birth_date: '2000-11-25', city: 'New York', region: 'NY',
      postal_code: '10001', country: 'US', source: 'Walk-in', phone: '(212) 555-0123', phone_e164: '+12125550123',
      consent_email: 'refused', consent_mail: 'refused',
    },
    { first_name: 'Chloé', last_name: 'Dubois', gender: 'f', birth_date: '2008-02-29', city: 'Besançon', postal_code: '25000', country: 'FR', consent_sms: 'granted' },
    { first_name: 'Иван', last_name: 'Петров', gender: 'm', birth_date: '1985-01-02', city: 'Москва', country: 'RU', company: 'ООО Ромашка' },
    { first_name: 'Thị Hương', last_name: 'Nguyễn', gender: 'f', birth_date: '--12-30', city: 'Hà Nội', country: 'VN' },
    { first_name: 'Gone', last_name: 'Away', gender: 'f', city: 'München', forgotten_at: '2026-01-01T00:00:00.000Z' },
    { first_name: 'Sam', gender: 'x' },
  ])
  Object.assign(id, { anna, bob, chloe, ivan, huong, gone, sam })
  await tagCustomer(crm.db, anna!, 'vip')
  await tagCustomer(crm.db, chloe!, 'vip', 'newsletter')
  await addPurchases(crm.db, [
    { customer_id: anna!, purchased_at: '2026-11-20T10:00:00.000Z', amount_cents: 60000, order_id: 'A1', line: 1, product: 'Espresso machine', category: 'Machines' },
    { customer_id: anna!, purchased_at: '2025-01-10T10:00:00.000Z', amount_cents: 2000, order_id: 'A0', line: 1, product: 'Croissant', category: 'Pastry' },
    { customer_id: bob!, purchased_at: '2026-11-01T09:00:00.000Z', amount_cents: 30000, order_id: 'B1', line: 1, product: 'Grinder', category: 'Machines' },
    { customer_id: bob!, purchased_at: '2026-11-02T09:00:00.000Z', amount_cents: 30000, currency: 'EUR', order_id: 'B2', line: 1, product: 'Grinder', category: 'Machines' },
    { customer_id: chloe!, purchased_at: '2026-06-01T09:00:00.000Z', amount_cents: 10000, order_id: 'C1', line: 1, product: 'Green tea', category: 'Tea' },
    // Bought and fully refunded: net zero, one order.
    { customer_id: ivan!, purchased_at: '2026-11-22T09:00:00.000Z', amount_cents: 80000, order_id: 'I1', line: 1, product: 'Espresso machine', category: 'Machines' },
    { customer_id: ivan!, purchased_at: '2026-11-22T15:00:00.000Z', amount_cents: -80000, order_id: 'I1', line: 2, product: 'Espresso machine', category: 'Machines' },
    { customer_id: gone!, purchased_at: '2026-11-20T10:00:00.000Z', amount_cents: 999999, order_id: 'G1', line: 1, product: 'Espresso machine', category: 'Machines' },
  ])
})

afterAll(async () => {
  await crm.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('each filter alone', () => {
  const cases: Array<[string, FilterSpec, string[]]> = [
    ['no filter: everyone but the erased', {}, ['anna', 'bob', 'chloe', 'ivan', 'huong', 'sam']],
    ['gender f', { gender: 'f' }, ['anna', 'chloe', 'huong']],
    ['gender m', { gender: 'm' }, ['bob', 'ivan']],
    ['gender x', { gender: 'x' }, ['sam']],
    ['age at least 18 (29 Feb 2008 turned 18 on 1 Mar 2026; year-less dates say nothing)', { ageMin: 18 }, ['anna', 'bob', 'chloe', 'ivan']],
    ['age at least 19', { ageMin: 19 }, ['anna', 'bob', 'ivan']],
    ['age at most 25 (Bob turns 26 on 25 Nov)', { ageMax: 25 }, ['bob', 'chloe']],
    ['age at most 24', { ageMax: 24 }, ['chloe']],
    ['birthday within 2 days', { birthdayWithin: 2 }, ['bob']],
    ['birthday within 1 day', { birthdayWithin: 1 }, []],
    ['city, accents and case ignored', { city: 'MUNCHEN' }, ['anna']],
    ['city written with its accents', { city: 'münchen' }, ['anna']],
    ['Cyrillic city by its transliteration', { city: 'moskva' }, ['ivan']],
    ['Vietnamese city without diacritics', { city: 'ha noi' }, ['huong']],
    ['region', { region: 'bayern' }, ['anna']],
    ['postal code prefix', { postalCode: '803' }, ['anna']],
    ['postal code prefix 10', { postalCode: '10' }, ['bob']],
    ['country', { country: 'DE' }, ['anna']],
    ['territory', { territory: 'sud' }, ['anna']],
    ['sales rep', { rep: 'jorg schmidt' }, ['anna']],
    ['source', { source: 'WALK-IN' }, ['bob']],
    ['one tag', { tags: ['vip'] }, ['anna', 'chloe']],
    ['tag, case-insensitive', { tags: ['VIP'] }, ['anna', 'chloe']],
    ['two tags: both must match', { tags: ['vip', 'newsletter'] }, ['chloe']],
    ['consent email needs a grant', { consent: ['email'] }, ['anna']],
    ['consent mail: allowed unless refused', { consent: ['mail'] }, ['anna', 'chloe', 'ivan', 'huong', 'sam']],
    ['consent sms needs a grant', { consent: ['sms'] }, ['chloe']],
    ['consent phone: allowed unless refused', { consent: ['phone'] }, ['anna', 'bob', 'chloe', 'ivan', 'huong', 'sam']],
    ['search a name without its umlaut', { search: 'muller' }, ['anna']],
    ['search with accents', { search: 'Müller' }, ['anna']],
    ['search two words in any order', { search: 'huong nguyen' }, ['huong']],
    ['search a Cyrillic company by transliteration', { search: 'romashka' }, ['ivan']],
    ['search an email part', { search: 'mueller@web' }, ['anna']],
    ['search a phone however written', { search: '555-0123' }, ['bob']],
    ['search a phone in E.164', { search: '+1 212 555 0123' }, ['bob']],
    ['search finds nothing', { search: 'zzz' }, []],
    ['spent over 500 in 30 days', { days: 30, spentGt: 50000 }, ['anna']],
    ['spent over 250 in 30 days (only USD counts for Bob)', { days: 30, spentGt: 25000 }, ['anna', 'bob']],
    ['spent under 100 in 30 days: refunded and no purchases count as spent nothing', { days: 30, spentLt: 10000 }, ['chloe', 'ivan', 'huong', 'sam']],
    ['spent over 600 all time', { spentGt: 60000 }, ['anna']],
    ['spent between 50 and 700 all time', { spentGt: 5000, spentLt: 70000 }, ['anna', 'bob', 'chloe']],
    ['spent less than nothing (net refunds)', { spentLt: 0 }, []],
    ['more than 0 orders in 30 days (an EUR order is still an order)', { days: 30, ordersGt: 0 }, ['anna', 'bob', 'ivan']],
    ['more than 1 order in 30 days', { days: 30, ordersGt: 1 }, ['bob']],
    ['bought a product in 30 days, any case', { days: 30, bought: 'espresso MACHINE' }, ['anna', 'ivan']],
    ['bought in a category, all time', { category: 'machines' }, ['anna', 'bob', 'ivan']],
    ['bought in a category in a window', { since: '2026-06-01', until: '2026-06-30', category: 'Tea' }, ['chloe']],
    ['inactive 90 days: bought before, nothing since', { inactiveDays: 90 }, ['chloe']],
    ['inactive 2 days: nothing since local midnight 21 Nov', { inactiveDays: 2 }, ['anna', 'bob', 'chloe']],
  ]
  test.each(cases)('%s', async (_name, spec, expected) => {
    expect(await ids(crm, spec)).toEqual(expected.map((n) => id[n]))
  })
})

describe('filters combined', () => {
  const cases: Array<[string, FilterSpec, string[]]> = [
    ['the mission query: women who spent over 500 in the last 30 days', { gender: 'f', days: 30, spentGt: 50000 }, ['anna']],
    ['men with a phone consent in the US', { gender: 'm', consent: ['phone'], country: 'US' }, ['bob']],
    ['vip women who may get email', { tags: ['vip'], gender: 'f', consent: ['email'] }, ['anna']],
    ['adults who bought an espresso machine but spent under 100 net', { ageMin: 18, bought: 'Espresso machine', spentLt: 10000 }, ['ivan']],
    ['lapsed vips', { tags: ['vip'], inactiveDays: 90 }, ['chloe']],
    ['city and search disagree', { city: 'münchen', search: 'smith' }, []],
  ]
  test.each(cases)('%s', async (_name, spec, expected) => {
    expect(await ids(crm, spec)).toEqual(expected.map((n) => id[n]))
  })
})

describe('birthdays and ages around 29 February and New Year', () => {
  const at = (iso: string, timezone = 'UTC'): FilterContext => ({ now: new Date(iso), config: { currency: 'USD', timezone } })
  test('in a common year a 29 February birthday is on 1 March', async () => {
    expect(await ids(crm, { birthdayWithin: 0 }, at('2027-02-28T12:00:00Z'))).not.toContain(id.chloe)
    expect(await ids(crm, { birthdayWithin: 0 }, at('2027-03-01T12:00:00Z'))).toContain(id.chloe)
    expect(await ids(crm, { birthdayWithin: 1 }, at('2027-02-28T12:00:00Z'))).toContain(id.chloe)
  })
  test('in a leap year it is on 29 February, not 1 March', async () => {
    expect(await ids(crm, { birthdayWithin: 0 }, at('2028-02-29T12:00:00Z'))).toContain(id.chloe)
    expect(await ids(crm, { birthdayWithin: 0 }, at('2028-03-01T12:00:00Z'))).not.toContain(id.chloe)
  })
  test('born 29 February 2008: 18 on 1 March 2026, not on 28 February', async () => {
    expect(await ids(crm, { ageMin: 18, gender: 'f', country: 'FR' }, at('2026-02-28T12:00:00Z'))).toEqual([])
    expect(await ids(crm, { ageMin: 18, gender: 'f', country: 'FR' }, at('2026-03-01T12:00:00Z'))).toEqual([id.chloe])
  })
  test('a window across New Year finds 30 December and 2 January (year-less dates too)', async () => {
    expect(await ids(crm, { birthdayWithin: 5 }, at('2026-12-30T12:00:00Z'))).toEqual([id.ivan, id.huong])
  })
  test('"today" is the shop\'s local date', async () => {
    // 23:30 UTC on 31 December is already 1 January in Berlin.
    expect(await ids(crm, { birthdayWithin: 1 }, at('2026-12-31T23:30:00Z', 'Europe/Berlin'))).toEqual([id.ivan])
    expect(await ids(crm, { birthdayWithin: 1 }, at('2026-12-31T23:30:00Z', 'UTC'))).toEqual([])
  })
})

describe('purchase window edges', () => {
  let edgeDir: string
  let edge: CrmDb
  const berlin: FilterContext = { now: NOW, config: { currency: 'USD', timezone: 'Europe/Berlin' } }
  beforeAll(async () => {
    edgeDir = mkdtempSync(join(tmpdir(), 'crm-window-'))
    edge = await openSqliteDb(join(edgeDir, 'crm.db'))
    await addCustomers(edge.db, [{ first_name: 'AtMidnight' }, { first_name: 'JustBefore' }, { first_name: 'AtNow' }, { first_name: 'Future' }])
    await addPurchases(edge.db, [
      // Local midnight 30 days before 2026-11-23 in Berlin (summer time): 2026-10-23T22:00Z.
      { customer_id: 1, purchased_at: '2026-10-23T22:00:00.000Z', amount_cents: 100 },
      { customer_id: 2, purchased_at: '2026-10-23T21:59:59.999Z', amount_cents: 100 },
      { customer_id: 3, purchased_at: NOW.toISOString(), amount_cents: 100 },
      { customer_id: 4, purchased_at: '2026-11-23T12:00:00.001Z', amount_cents: 100 },
    ])
  })
  afterAll(async () => {
    await edge.close()
    rmSync(edgeDir, { recursive: true, force: true })
  })

  test('--days 30 runs from local midnight 30 days ago through now', async () => {
    expect(purchaseWindow({ days: 30 }, berlin)).toEqual({ from: '2026-10-23T22:00:00.000Z', to: '2026-11-23T12:00:00.001Z' })
    expect(await ids(edge, { days: 30, spentGt: 0 }, berlin)).toEqual([1, 3])
  })
  test('the same instant is outside the window in UTC, where midnight comes two hours later', async () => {
    expect(await ids(edge, { days: 30, spentGt: 0 }, { ...berlin, config: { currency: 'USD', timezone: 'UTC' } })).toEqual([3])
  })
  test('in New York late evening, "today" is still yesterday in UTC terms', () => {
    const ny: FilterContext = { now: new Date('2026-11-23T03:00:00Z'), config: { currency: 'USD', timezone: 'America/New_York' } }
    expect(purchaseWindow({ days: 30 }, ny).from).toBe('2026-10-23T04:00:00.000Z')
  })
  test('--since/--until are whole local days', async () => {
    expect(purchaseWindow({ since: '2026-10-24', until: '2026-11-23' }, berlin)).toEqual({
      from: '2026-10-23T22:00:00.000Z',
      to: '2026-11-23T23:00:00.000Z',
    })
    expect(await ids(edge, { since: '2026-10-24', until: '2026-11-23', spentGt: 0 }, berlin)).toEqual([1, 3, 4])
    expect(await ids(edge, { until: '2026-10-23', spentGt: 0 }, berlin)).toEqual([2])
  })
  test('--days 0 is today only', async () => {
    expect(purchaseWindow({ days: 0 }, berlin).from).toBe('2026-11-22T23:00:00.000Z')
  })
})

test('a spec that names a segment must be resolved first', () => {
  expect(() => customerIdsMatching(crm.db, { segment: 'vips' }, utc)).toThrow(/resolveSegment/)
})

test('the spend sum reads the covering index purchases_window', async () => {
  const q = customerIdsMatching(crm.db, { gender: 'f', days: 30, spentGt: 50000 }, utc).compile()
  const plan = crm.sqlite.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as Array<{ detail: string }>
  expect(plan.map((p) => p.detail).join('\n')).toMatch(/COVERING INDEX purchases_window/)
})
