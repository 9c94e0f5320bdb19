import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { fixture, queryDb, runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, queryPg } from './pgHelpers.js'

let home: ReturnType<typeof tempHome>
let url: string
beforeEach(async () => {
  home = tempHome()
  url = await freshDatabase()
})
afterEach(() => home.cleanup())

const crm = (...args: string[]) => runCrm(args, home.dir, { env: { CRM_NOW: '2026-11-23T12:00:00Z' } })
const NAMES = 'select first_name, last_name, gender, birth_date, city from customers order by id'

describe('8-bit exports reach PostgreSQL whole', () => {
  test('a Russian Excel file (Windows-1251, three rows) imported into SQLite, then copied: PostgreSQL holds the same people', async () => {
    const file = fixture('exports/excel-russian-1251.csv')
    const imported = await crm('--db', home.db, 'import', file)
    expect(imported.exitCode, imported.stderr).toBe(0)
    const copied = await crm('copy', '--from', home.db, '--to', url)
    expect(copied.exitCode, copied.stderr).toBe(0)
    const there = await queryPg(url, NAMES)
    expect(there).toEqual(queryDb(home.db, NAMES))
    expect(there.map((r) => `${r.first_name} ${r.last_name} ${r.gender}`)).toEqual(['Сергей Иванов m', 'Анна-Мария Щербакова f', 'Фёдор Подъячев m'])
  })

  test('the Outlook desktop export (Windows-1252, 0/0/00, Unspecified) imports into PostgreSQL as into SQLite', async () => {
    const file = fixture('exports/outlook-desktop.csv')
    const p = await crm('--db', url, 'import', file, '--date-format', 'mdy')
    const s = await crm('--db', home.db, 'import', file, '--date-format', 'mdy')
    expect(p.exitCode, p.stderr).toBe(0)
    expect(s.exitCode, s.stderr).toBe(0)
    expect(await queryPg(url, NAMES)).toEqual(queryDb(home.db, NAMES))
    expect((await queryPg(url, 'select count(*)::int as n from customers where birth_date is null'))[0]).toEqual({ n: 6 })
  })
})
