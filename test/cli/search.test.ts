import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { seedMergeFamily } from '../helpers/dedupeFixture.js'
import { runCrm, tempHome } from '../helpers/runCrm.js'

// `crm query --search` over the trigram index of migration 0008, kept right by triggers
// through every writer: import, add, edit, merge, unmerge, forget.

let home: ReturnType<typeof tempHome>
const env = { CRM_NOW: '2026-11-23T12:00:00.000Z' }
const crm = (args: string[]) => runCrm(['--db', home.db, ...args], home.dir, { env })

beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

/** The ids `crm query --search TEXT` prints. */
async function found(text: string): Promise<number[]> {
  const r = await crm(['query', '--search', text, '--fields', 'id', '--format', 'csv'])
  expect(r.exitCode, r.stderr).toBe(0)
  return r.stdout.trim().split('\n').slice(1).filter(Boolean).map(Number)
}

/**
 * FTS5's own check that the index holds exactly what the customers table holds
 * (rank 1: compare with the external content); it throws when they differ.
 */
function expectIndexMatchesTable(): void {
  const db = new BetterSqlite3(home.db)
  try {
    db.exec(`insert into customer_search(customer_search, rank) values ('integrity-check', 1)`)
  } finally {
    db.close()
  }
}

/** The trigrams the index lists for one customer. */
function indexedTrigrams(id: number): string[] {
  const db = new BetterSqlite3(home.db)
  try {
    db.exec(`create virtual table temp.search_terms using fts5vocab(main, customer_search, instance)`)
    return (db.prepare('select distinct term from temp.search_terms where doc = ?').pluck().all(id) as string[]).sort()
  } finally {
    db.close()
  }
}

/**
 * Which of `trigrams` are still written in the index's own pages. The term list above
 * already hides a deleted row; without secure-delete its terms stay in the pages until
 * a merge, so this reads the raw blocks.
 */
function trigramsInIndexPages(trigrams: string[]): string[] {
  const blocks = new BetterSqlite3(home.db, { readonly: true })
  try {
    const raw = Buffer.concat(blocks.prepare('select block from customer_search_data').pluck().all() as Buffer[])
    return trigrams.filter((t) => raw.includes(Buffer.from(t)))
  } finally {
    blocks.close()
  }
}

describe('crm query --search', () => {
  test('finds by any part of name, email, company, phone, street, city, postal code or notes, accent-insensitively', async () => {
    const csv = join(home.dir, 'customers.csv')
    writeFileSync(
      csv,
      [
        'first_name,last_name,email,phone,company,street,city,postal_code,country,notes',
        'Thị,Nguyễn,thi@example.vn,+84 28 3822 1234,Phở Hòa,12 Lê Lợi,Hồ Chí Minh,700000,VN,',
        'Jürgen,Weiß,jw@example.de,0221 555012,,Hauptstraße 7,Köln,50667,DE,prefers Thursday deliveries',
        'Оля,Иванова,olya@example.ru,,Ромашка,ул. Тверская 1,Москва,125009,RU,любит чай',
        ',,empty@example.com,,,,,,US,',
      ].join('\n') + '\n',
    )
    const imported = await crm(['import', csv])
    expect(imported.exitCode, imported.stderr).toBe(0)
    expectIndexMatchesTable()

    expect(await found('nguyen')).toEqual([1])
    expect(await found('NGUYỄN')).toEqual([1])
    expect(await found('pho hoa')).toEqual([1])
    expect(await found('koln')).toEqual([2]) // city, folded
    expect(await found('Köln')).toEqual([2])
    expect(await found('hauptstr')).toEqual([2]) // street, part of a word
    expect(await found('Hauptstraße')).toEqual([2])
    expect(await found('5066')).toEqual([2]) // postal code, and no phone has 5066
    expect(await found('thursday')).toEqual([2]) // notes
    expect(await found('3822 1234')).toEqual([1]) // phone digits however written
    expect(await found('тверская')).toEqual([3]) // street in Cyrillic, as typed
    expect(await found('ЧАЙ')).toEqual([3]) // notes in Cyrillic, any case
    expect(await found('romashka')).toEqual([3]) // company, transliterated
    expect(await found('ivanova moskva')).toEqual([3]) // every word, in any field
    expect(await found('ivanova koln')).toEqual([])
    expect(await found('zzz')).toEqual([])
  })

  test('words of one or two characters still match (by a scan, the trigram index needs three)', async () => {
    for (const [first, last, city] of [['Li', 'An', 'Paris'], ['Bo', 'Nguyen', 'Lyon'], ['Anna', 'Lind', 'Oslo']]) {
      expect((await crm(['add', '--first-name', first!, '--last-name', last!, '--city', city!])).exitCode).toBe(0)
    }
    expect(await found('li')).toEqual([1, 3]) // Li; Lind
    expect(await found('li an')).toEqual([1, 3]) // both words in each
    expect(await found('nguyen bo')).toEqual([2]) // a long word through the index, a short one checked after
    expect(await found('o')).toEqual([2, 3]) // Bo, Lyon; Oslo
    expect(await found('q')).toEqual([])
  })

  test('--count answers from the index and agrees with the list, erased customers left out', async () => {
    for (const last of ['Nguyen', 'Nguyễn', 'Ng']) expect((await crm(['add', '--first-name', 'Van', '--last-name', last])).exitCode).toBe(0)
    // Erased by hand, its text left in place: only forgotten_at says it is gone.
    const db = new BetterSqlite3(home.db)
    db.exec(`update customers set forgotten_at = '2026-01-01T00:00:00.000Z' where id = 2`)
    db.close()
    const count = async (text: string) => (await crm(['query', '--search', text, '--count'])).stdout
    expect(await count('nguyen')).toBe('1\n')
    expect(await found('nguyen')).toEqual([1])
    expect(await count('ng')).toBe('2\n') // a short word: the general path
    expect(await found('ng')).toEqual([1, 3])
    expect(await count('van nguyen')).toBe('1\n')
  })

  test('add and edit: the new text is found, the old text is not', async () => {
    const add = await crm(['add', '--first-name', 'Ana', '--last-name', 'Silva', '--street', 'Rua Augusta 10', '--city', 'Lisboa', '--notes', 'allergic to peanuts'])
    expect(add.exitCode, add.stderr).toBe(0)
    expect(await found('augusta')).toEqual([1])
    const edit = await crm(['edit', '1', '--street', 'Avenida da Liberdade 5', '--city', 'Porto', '--notes', 'likes green tea'])
    expect(edit.exitCode, edit.stderr).toBe(0)
    expect(await found('augusta')).toEqual([])
    expect(await found('lisboa')).toEqual([])
    expect(await found('peanuts')).toEqual([])
    expect(await found('liberdade')).toEqual([1])
    expect(await found('porto')).toEqual([1])
    expect(await found('green tea')).toEqual([1])
    expectIndexMatchesTable()
  })

  test('an import that updates a customer replaces their indexed text', async () => {
    const csv = join(home.dir, 'a.csv')
    writeFileSync(csv, 'email,first_name,street,city\nmia@example.com,Mia,Old Mill Lane 3,Leeds\n')
    expect((await crm(['import', csv])).exitCode).toBe(0)
    writeFileSync(csv, 'email,first_name,street,city\nmia@example.com,Mia,Harbour Road 9,Whitby\n')
    const again = await crm(['import', csv, '--on-conflict', 'update'])
    expect(again.exitCode, again.stderr).toBe(0)
    expect(await found('mill lane')).toEqual([])
    expect(await found('leeds')).toEqual([])
    expect(await found('harbour')).toEqual([1])
    expect(await found('whitby')).toEqual([1])
    expectIndexMatchesTable()
  })

  test('merge drops the merged-away records from the index; unmerge brings them back', async () => {
    await seedMergeFamily(home.db)
    expectIndexMatchesTable()
    expect(await found('rob@example')).toEqual([1])
    expect(await found('5550000')).toEqual([3])
    const m = await crm(['merge', '3', '2', '1', '--yes'])
    expect(m.exitCode, m.stderr).toBe(0)
    // Customer 2's email and street won; 3's phone is kept only as an alternate.
    expect(await found('bob.nguyen')).toEqual([1])
    expect(await found('main street')).toEqual([1])
    expect(await found('5550000')).toEqual([])
    expectIndexMatchesTable()
    const u = await crm(['unmerge', m.stdout.trim()])
    expect(u.exitCode, u.stderr).toBe(0)
    expect(await found('bob.nguyen')).toEqual([2, 3])
    expect(await found('5550000')).toEqual([3])
    expect(await found('rob@example')).toEqual([1])
    expectIndexMatchesTable()
  })

  test('forget: the erased text is gone from the index itself, not only from the results', async () => {
    const add = await crm(['add', '--first-name', 'Zelda', '--last-name', 'Quixbury', '--email', 'zq@example.com', '--street', 'Wyvern Close 4', '--postal-code', 'YO21 3PU', '--notes', 'xylophone teacher'])
    expect(add.exitCode, add.stderr).toBe(0)
    expect(await found('quixbury')).toEqual([1])
    expect(indexedTrigrams(1)).toContain('qui')
    const distinctive = ['qui', 'uix', 'xbu', 'zel', 'wyv', 'xyl', 'ylo']
    expect(trigramsInIndexPages(distinctive).length).toBeGreaterThan(0)
    const f = await crm(['forget', '1', '--reason', 'asked by email', '--yes'])
    expect(f.exitCode, f.stderr).toBe(0)
    for (const text of ['quixbury', 'zelda', 'wyvern', 'yo21', 'xylophone', 'zq@example']) expect(await found(text)).toEqual([])
    // Nothing of the person is left among the index's terms for that row.
    expect(indexedTrigrams(1)).toEqual([])
    expect(trigramsInIndexPages(distinctive)).toEqual([])
    expectIndexMatchesTable()
  })
})

// Files over 2 MB are checked in a worker thread while the main thread writes, and fills the
// search index 2,000 rows at a time whenever it waits for the next batch (src/db/searchIndex.ts).
describe('crm import of a file big enough for the worker and many index chunks', () => {
  const ROWS = 14_000
  const NOTE = 'prefers the blue catalogue, calls before noon, pays by invoice at the end of each month'
  /** ROWS new customers (over 2 MB) with `street(i)`, then `tail` more lines. */
  function bigCsv(name: string, street: (i: number) => string, tail: string[] = []): string {
    const lines = ['external_id,first_name,last_name,email,street,city,notes']
    for (let i = 0; i < ROWS; i++) lines.push(`${name}${i},First${i},Last${i},${name}${i}@example.com,${street(i)},Springfield,"${NOTE} ${i}"`)
    const file = join(home.dir, `${name}.csv`)
    writeFileSync(file, [...lines, ...tail].join('\n') + '\n')
    return file
  }
  const searchCount = async (text: string) => {
    const r = await crm(['query', '--search', text, '--count'])
    expect(r.exitCode, r.stderr).toBe(0)
    return Number(r.stdout.trim())
  }

  test('appends to a non-empty table; rows changed again later in the same file are indexed as they end up', async () => {
    const first = join(home.dir, 'first.csv')
    writeFileSync(first, 'external_id,first_name,street\nold1,Olga,Quince Row 1\n')
    expect((await crm(['import', first])).exitCode).toBe(0)
    // The last 600 rows move 600 customers of this file (chunks of earlier rows are indexed by then, or not: either way).
    const moves = Array.from({ length: 600 }, (_, i) => `big${i * 20},First${i * 20},Last${i * 20},big${i * 20}@example.com,Kestrel Wharf ${i * 20},Springfield,moved`)
    const r = await crm(['import', bigCsv('big', (i) => `${i} Larkspur Road`, moves)])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain(`${ROWS} inserted`)
    expectIndexMatchesTable()
    expect(await searchCount('larkspur')).toBe(ROWS - 600)
    expect(await searchCount('kestrel wharf')).toBe(600)
    expect(await found('kestrel wharf 11980')).toEqual([11_982]) // big11980: the 11,981st row, after old1
    expect(await found('quince')).toEqual([1])
    // Every trigger is back: a later edit is indexed at once.
    expect((await crm(['edit', '2', '--street', 'Yarrow Lane 5'])).exitCode).toBe(0)
    expect(await found('yarrow')).toEqual([2])
    expect(await found('0 larkspur road')).not.toContain(2)
    expectIndexMatchesTable()
  })

  test('an import that fails near the end leaves the table and the index as they were', async () => {
    const first = join(home.dir, 'first.csv')
    writeFileSync(first, 'external_id,first_name,street\nold1,Olga,Quince Row 1\n')
    expect((await crm(['import', first])).exitCode).toBe(0)
    const r = await crm(['import', bigCsv('bad', (i) => `${i} Foxglove Way`, ['badX,Bad,Row,not-an-email,1 Nowhere,Springfield,x'])])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain(`bad.csv:${ROWS + 2}: email`)
    expect(await searchCount('foxglove')).toBe(0)
    expect(await found('quince')).toEqual([1])
    expectIndexMatchesTable()
    expect((await crm(['add', '--first-name', 'Ivy', '--street', 'Juniper Hill 2'])).exitCode).toBe(0)
    expect(await found('juniper')).toEqual([2]) // the rollback took the id sequence back too
    expectIndexMatchesTable()
  })
})
