import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, queryPg } from './pgHelpers.js'

// `crm query --search` on PostgreSQL: the pg_trgm index of migration 0008, the same
// matches as on SQLite, through import, edit and forget.

let home: ReturnType<typeof tempHome>
let url: string
const crm = (args: string[]) => runCrm(['--db', url, ...args], home.dir, { env: { CRM_NOW: '2026-11-23T12:00:00.000Z' } })

async function found(text: string): Promise<number[]> {
  const r = await crm(['query', '--search', text, '--fields', 'id', '--format', 'csv'])
  expect(r.exitCode, r.stderr).toBe(0)
  return r.stdout.trim().split('\n').slice(1).filter(Boolean).map(Number)
}

beforeAll(async () => {
  home = tempHome()
  url = await freshDatabase()
  const csv = join(home.dir, 'customers.csv')
  writeFileSync(
    csv,
    [
      'first_name,last_name,email,phone,company,street,city,postal_code,country,notes',
      'Thị,Nguyễn,thi@example.vn,+84 28 3822 1234,Phở Hòa,12 Lê Lợi,Hồ Chí Minh,700000,VN,',
      'Jürgen,Weiß,jw@example.de,0221 555012,,Hauptstraße 7,Köln,50667,DE,prefers Thursday deliveries',
      'Оля,Иванова,olya@example.ru,,Ромашка,ул. Тверская 1,Москва,125009,RU,любит чай',
      'Li,An,li@example.fr,,,,Paris,,FR,',
    ].join('\n') + '\n',
  )
  const r = await crm(['import', csv])
  expect(r.exitCode, r.stderr).toBe(0)
})
afterAll(() => home.cleanup())

describe('crm query --search on PostgreSQL', () => {
  test('migration 0008 made the pg_trgm index', async () => {
    const ix = await queryPg<{ indexdef: string }>(url, `select indexdef from pg_indexes where indexname = 'customers_search'`)
    expect(ix[0]?.indexdef).toContain('gin_trgm_ops')
  })

  test('finds by any part of name, email, company, phone, street, city, postal code or notes', async () => {
    expect(await found('nguyen')).toEqual([1])
    expect(await found('NGUYỄN')).toEqual([1])
    expect(await found('koln')).toEqual([2])
    expect(await found('hauptstr')).toEqual([2])
    expect(await found('5066')).toEqual([2])
    expect(await found('thursday')).toEqual([2])
    expect(await found('3822 1234')).toEqual([1])
    // Text columns are collate "C" here, whose lower() folds ASCII letters only: street and
    // notes in another script match as typed in the same case (SQLite folds any case).
    expect(await found('Тверская')).toEqual([3])
    expect(await found('чай')).toEqual([3])
    expect(await found('romashka')).toEqual([3])
    expect(await found('li')).toEqual([2, 4]) // under three characters (a scan): "deliveries", Li
    expect(await found('zzz')).toEqual([])
  })

  test('edit and forget: the old and the erased text are no longer found', async () => {
    expect((await crm(['edit', '2', '--street', 'Ringstraße 1', '--notes', 'call after 5'])).exitCode).toBe(0)
    expect(await found('hauptstr')).toEqual([])
    expect(await found('thursday')).toEqual([])
    expect(await found('ringstr')).toEqual([2])
    const f = await crm(['forget', '3', '--reason', 'asked by email', '--yes'])
    expect(f.exitCode, f.stderr).toBe(0)
    for (const text of ['Тверская', 'romashka', 'ivanova', 'чай']) expect(await found(text)).toEqual([])
  })
})
