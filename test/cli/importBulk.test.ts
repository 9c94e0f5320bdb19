import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

// An import into an empty customers table builds the indexes after the rows
// (src/import/bulkLoad.ts). These check that it ends exactly as the row-by-row path does.
let home: ReturnType<typeof tempHome>
beforeAll(() => (home = tempHome()))
afterAll(() => home.cleanup())

const indexesOf = (db: string) =>
  queryDb<{ name: string; sql: string }>(db, `select name, sql from sqlite_master where type = 'index' and tbl_name in ('customers', 'customer_tags') order by name`)

/** Rows that match rows earlier in the same file: by external id, by email, shared emails, changed emails. */
const TRICKY = [
  'external_id,first_name,last_name,email,phone,city,tags',
  'A1,Anna,Berg,anna@example.com,030 1234567,Berlin,vip',
  'A2,Ben,Berg,anna@example.com,,Berlin,', // same email, other external id: a second person
  ',Anna,,ANNA@example.com ,,Köln,local', // no external id: the lowest id with that email (A1)
  ',Cleo,Dunn,cleo@example.com,,Paris,',
  'C9,Cleo,Dunn,cleo@example.com,,,', // gives the email-only row its external id
  'C9,Cleo,,cleo.new@example.com,,,', // matched by external id: a new email (the old one an alternate)
  ',Cleo,,cleo@example.com,,Lyon,', // the old email belongs to nobody now: a new customer
  ',Dora,,cleo.new@example.com,,,', // the new email finds C9
  'A1,Anna,Berg-Lund,,,,"vip, gold"',
  'A1,Anna,Berg-Lund,,,,', // unchanged
].join('\n')

const COMPARED = `select external_id, first_name, last_name, email, email_norm, phone, phone_e164, city, city_key, extra, search_key,
  (select group_concat(t.name, ',') from customer_tags ct join tags t on t.id = ct.tag_id where ct.customer_id = c.id) as tags
  from customers c order by id`

describe('import into an empty table (indexes built after the rows)', () => {
  test('matches rows of the same file as an import into a table with rows does', async () => {
    const file = join(home.dir, 'tricky.csv')
    writeFileSync(file, TRICKY + '\n')
    const seed = join(home.dir, 'seed.csv')
    writeFileSync(seed, 'external_id,first_name,email\nS1,Seed,seed@example.com\n')
    const bulk = join(home.dir, 'bulk.db')
    const rowByRow = join(home.dir, 'rows.db')
    const a = await runCrm(['--db', bulk, 'import', file], home.dir)
    expect(a.exitCode, a.stderr).toBe(0)
    // A table that already has a row imports row by row, its indexes in place.
    expect((await runCrm(['--db', rowByRow, 'import', seed], home.dir)).exitCode).toBe(0)
    const b = await runCrm(['--db', rowByRow, 'import', file], home.dir)
    expect(b.exitCode, b.stderr).toBe(0)
    expect(a.stderr.replace(/ in [\d.]+ s/, '')).toBe(b.stderr.replace(/ in [\d.]+ s/, ''))
    expect(a.stderr).toContain('4 inserted')
    const rows = queryDb(bulk, COMPARED)
    expect(queryDb(rowByRow, COMPARED).slice(1)).toEqual(rows)
    expect(rows.map((r) => [r.external_id, r.email])).toEqual([
      ['A1', 'ANNA@example.com'],
      ['A2', 'anna@example.com'],
      ['C9', 'cleo.new@example.com'],
      [null, 'cleo@example.com'],
    ])
    expect(indexesOf(bulk)).toEqual(indexesOf(rowByRow))
    expect(queryDb(bulk, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }])
  })

  test('a bad row at the end leaves the table empty with every index in place', async () => {
    const fresh = join(home.dir, 'fresh.db')
    expect((await runCrm(['--db', fresh, 'query', '--count'], home.dir)).exitCode).toBe(0)
    const before = indexesOf(fresh)
    expect(before.map((i) => i.name)).toEqual(expect.arrayContaining(['customer_tags_tag', 'customers_email_norm', 'customers_external_id']))
    const file = join(home.dir, 'bad-end.csv')
    writeFileSync(file, TRICKY + '\nZ1,Zed,,not-an-email,,,\n')
    const r = await runCrm(['--db', fresh, 'import', file], home.dir)
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('bad-end.csv:12: email: "not-an-email" is not an email address')
    expect(queryDb(fresh, 'select count(*) as n from customers')).toEqual([{ n: 0 }])
    expect(indexesOf(fresh)).toEqual(before)
    const dry = await runCrm(['--db', fresh, 'import', '--dry-run', join(home.dir, 'tricky.csv')], home.dir)
    expect(dry.exitCode, dry.stderr).toBe(0)
    expect(indexesOf(fresh)).toEqual(before)
    expect(queryDb(fresh, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }])
  })
})
