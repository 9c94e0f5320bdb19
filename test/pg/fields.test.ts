import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, queryPg } from './pgHelpers.js'

// Custom fields built on SQLite, copied to PostgreSQL: every --where, sort and report
// must answer the same on both; writes (set, import, merge, forget) work on PostgreSQL.
const home = tempHome()
let url: string
const env = { CRM_NOW: '2026-11-20T12:00:00Z' }
const crm = (...args: string[]) => runCrm(args, home.dir, { env })
const ok = async (...args: string[]) => {
  const r = await crm(...args)
  expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0)
  return r.stdout
}

beforeAll(async () => {
  url = await freshDatabase()
  const db = ['--db', home.db]
  await ok(...db, 'field', 'add', 'children', '--type', 'number')
  await ok(...db, 'field', 'add', 'income_band', '--type', 'choice', '--choices', 'low,middle,high', '--label', 'Household income')
  await ok(...db, 'field', 'add', 'member_since', '--type', 'date')
  await ok(...db, 'field', 'add', 'points', '--type', 'money')
  await ok(...db, 'field', 'add', 'mailing_ok', '--type', 'bool')
  await ok(...db, 'field', 'add', 'favourite', '--type', 'text')
  const file = join(home.dir, 'shop.csv')
  writeFileSync(
    file,
    'first_name,email,children,Household income,member_since,points,mailing_ok,favourite\n' +
      'Ana,ana@example.com,2,high,2023-05-01,12.50,yes,Crème brûlée\n' +
      'Bo,bo@example.com,0,Low,2024-02-29,0,no,creme BRULEE tart\n' +
      'Cy,cy@example.com,5,high,2019-12-31,"1,200.00",,\n' +
      'Дарья,darya@example.com,1,,,,,Пельмени\n' +
      'Ed,ed@example.com,,,,,,\n',
  )
  await ok(...db, 'import', file)
  await ok('copy', '--from', home.db, '--to', url)
})
afterAll(() => home.cleanup())

describe('custom fields on PostgreSQL', () => {
  test('crm copy carries definitions and values exactly', async () => {
    expect(await queryPg(url, 'select id, name, label, type, choices, position from custom_fields order by id')).toEqual(
      queryDb(home.db, 'select id, name, label, type, choices, position from custom_fields order by id'),
    )
    const values = 'select customer_id, field_id, value_text, value_key, value_num from customer_field_values order by 1, 2'
    expect(await queryPg(url, values)).toEqual(queryDb(home.db, values))
  })

  test.each([
    [['--where', 'children>=2']],
    [['--where', 'children!=0', '--sort', 'children:desc']],
    [['--where', 'children is empty']],
    [['--where', 'income_band=HIGH', '--where', 'member_since<2024-01-01']],
    [['--where', 'income_band!=high']],
    [['--where', 'points>=12.50']],
    [['--where', 'mailing_ok=no']],
    [['--where', 'favourite~creme brulee']],
    [['--where', 'favourite is not empty', '--sort', 'favourite']],
    [['--sort', 'children']],
    [['--sort', 'member_since:desc']],
  ])('query %j answers the same', async (flags) => {
    const args = ['query', ...flags, '--fields', 'first_name,children,income_band,member_since,points,mailing_ok,favourite', '--format', 'csv']
    const sqlite = await ok('--db', home.db, ...args)
    expect(sqlite.split('\n').length).toBeGreaterThan(2)
    expect(await ok('--db', url, ...args)).toBe(sqlite)
  })

  test.each([['income_band'], ['children'], ['points'], ['mailing_ok'], ['member_since'], ['favourite']])('report fields %s answers the same', async (name) => {
    const args = ['report', 'fields', name, '--format', 'csv']
    expect(await ok('--db', url, ...args)).toBe(await ok('--db', home.db, ...args))
  })

  test('--set, bad values, --from-extra, segments, merge/unmerge and forget write on PostgreSQL', async () => {
    await ok('--db', url, 'edit', 'ed@example.com', '--set', 'children=3', '--set', 'income_band=middle')
    expect(await ok('--db', url, 'query', '--where', 'children=3', '--fields', 'first_name,income_band', '--format', 'csv')).toBe('first_name,income_band\nEd,middle\n')
    const bad = await crm('--db', url, 'edit', 'ed@example.com', '--set', 'children=lots')
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toBe('crm: --set children: "lots" is not a number (e.g. 2 or 3.5)\n')

    const extra = join(home.dir, 'extra.csv')
    writeFileSync(extra, 'email,Card\nana@example.com,L-1\nbo@example.com,L-2\n')
    await ok('--db', url, 'import', extra)
    await ok('--db', url, 'field', 'add', 'card', '--type', 'text', '--from-extra', 'Card')
    expect(await ok('--db', url, 'query', '--where', 'card is not empty', '--fields', 'first_name,card', '--format', 'csv')).toBe('first_name,card\nAna,L-1\nBo,L-2\n')

    await ok('--db', url, 'segment', 'save', 'families', '--where', 'children>=2')
    expect(await ok('--db', url, 'query', '--segment', 'families', '--count')).toBe('3\n')

    const before = await queryPg(url, 'select customer_id, field_id, value_text, value_num from customer_field_values order by 1, 2')
    const merged = await ok('--db', url, 'merge', '1', '4', '--yes')
    // Ana (1) keeps her own values; she had every field Дарья had, so nothing is taken.
    expect(await ok('--db', url, 'query', '--where', 'favourite~pelmeni', '--count')).toBe('0\n')
    await ok('--db', url, 'unmerge', merged.trim())
    expect(await queryPg(url, 'select customer_id, field_id, value_text, value_num from customer_field_values order by 1, 2')).toEqual(before)

    await ok('--db', url, 'forget', 'ana@example.com', '--reason', 'asked', '--yes')
    expect(await queryPg(url, 'select count(*)::int as n from customer_field_values where customer_id = 1')).toEqual([{ n: 0 }])
  })
})
