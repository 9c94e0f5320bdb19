import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { openSqliteDb, type SqliteCrmDb } from '../../src/db/openDb.js'
import { catchUpSearchIndex, deferSearchIndex } from '../../src/db/searchIndex.js'

let dir: string
let crm: SqliteCrmDb
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-search-'))
  crm = await openSqliteDb(join(dir, 'crm.db'))
  const add = crm.sqlite.prepare('insert into customers (first_name, search_key, street) values (?, ?, ?)')
  add.run('Old One', 'old one', 'Elm Street 1')
  add.run('Old Two', 'old two', 'Oak Avenue 2')
  add.run('Old Three', 'old three', 'Pine Road 3')
})
afterEach(async () => {
  await crm.close()
  rmSync(dir, { recursive: true, force: true })
})

const found = (text: string) =>
  crm.sqlite.prepare(`select rowid from customer_search where customer_search match ? order by rowid`).pluck().all(`"${text}"`)
const triggers = () => crm.sqlite.prepare(`select name, sql from sqlite_master where type = 'trigger' order by name`).all()
const indexMatchesTable = () => crm.sqlite.exec(`insert into customer_search(customer_search, rank) values ('integrity-check', 1)`)

describe('deferSearchIndex / catchUpSearchIndex (bulk imports)', () => {
  test('new rows are indexed at the end as they are then; old rows are kept right throughout; triggers come back as they were', () => {
    const before = triggers()
    crm.sqlite.exec('BEGIN IMMEDIATE')
    const deferred = deferSearchIndex(crm.sqlite)
    expect(deferred?.indexedTo).toBe(3)
    const add = crm.sqlite.prepare('insert into customers (first_name, search_key, street) values (?, ?, ?)')
    add.run('New Four', 'new four', 'Birch Lane 4')
    add.run('New Five', 'new five', 'Cedar Way 5')
    add.run('New Six', 'new six', 'Maple Court 6')
    crm.sqlite.exec(`update customers set street = 'Willow Close 4' where id = 4`) // a new row changed in the same import
    crm.sqlite.exec(`delete from customers where id = 6`) // and one removed
    crm.sqlite.exec(`update customers set street = 'Ash Grove 1' where id = 1`) // an old row changed
    crm.sqlite.exec(`delete from customers where id = 3`) // an old row removed
    catchUpSearchIndex(crm.sqlite, deferred)
    crm.sqlite.exec('COMMIT')
    expect(triggers()).toEqual(before)
    indexMatchesTable()
    expect(found('willow')).toEqual([4])
    expect(found('birch')).toEqual([])
    expect(found('cedar')).toEqual([5])
    expect(found('maple')).toEqual([])
    expect(found('ash grove')).toEqual([1])
    expect(found('elm street')).toEqual([])
    expect(found('pine')).toEqual([])
    // The triggers work again after the bulk write.
    add.run('Later Seven', 'later seven', 'Spruce Hill 7')
    expect(found('spruce')).toEqual([7])
    indexMatchesTable()
  })

  test('a rolled-back import leaves the triggers and the index as they were', () => {
    const before = triggers()
    crm.sqlite.exec('BEGIN IMMEDIATE')
    deferSearchIndex(crm.sqlite)
    crm.sqlite.prepare('insert into customers (first_name, search_key, street) values (?, ?, ?)').run('Gone', 'gone', 'Nowhere 9')
    crm.sqlite.exec('ROLLBACK')
    expect(triggers()).toEqual(before)
    expect(found('nowhere')).toEqual([])
    indexMatchesTable()
  })
})
