import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { openSqliteDb, type SqliteCrmDb } from '../../src/db/openDb.js'
import { catchUpSearchIndex, deferSearchIndex, indexSearchChunk } from '../../src/db/searchIndex.js'

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
const tempObjects = () => crm.sqlite.prepare(`select type, name from sqlite_temp_master order by name`).all()
const config = () => crm.sqlite.prepare(`select k, v from customer_search_config where k <> 'automerge' order by k`).all()
const automerge = () => (crm.sqlite.prepare(`select v from customer_search_config where k = 'automerge'`).pluck().get() as number | undefined) ?? 4
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

  test('chunks index the new rows in id order while the import goes on; edits on either side of the mark stay right', () => {
    const before = triggers()
    const add = crm.sqlite.prepare('insert into customers (first_name, search_key, street) values (?, ?, ?)')
    crm.sqlite.exec('BEGIN IMMEDIATE')
    const deferred = deferSearchIndex(crm.sqlite)!
    expect(indexSearchChunk(crm.sqlite, deferred, 2)).toBe(false) // nothing new yet
    for (const [i, street] of ['Birch Lane', 'Cedar Way', 'Maple Court', 'Larch Row', 'Hazel Mews'].entries()) add.run(`New ${i + 4}`, `new ${i + 4}`, street)
    expect(indexSearchChunk(crm.sqlite, deferred, 2)).toBe(true)
    expect(deferred.indexedTo).toBe(5) // ids 4 and 5 indexed, 6–8 not yet
    expect(found('birch')).toEqual([4])
    expect(found('maple')).toEqual([])
    crm.sqlite.exec(`update customers set street = 'Willow Close' where id = 4`) // indexed: through the trigger
    crm.sqlite.exec(`delete from customers where id = 5`) // indexed: removed from the index
    crm.sqlite.exec(`update customers set street = 'Rowan Yard' where id = 6`) // not yet indexed: left to its chunk
    crm.sqlite.exec(`delete from customers where id = 7`) // never indexed
    expect(found('willow')).toEqual([4])
    expect(found('cedar')).toEqual([])
    expect(indexSearchChunk(crm.sqlite, deferred, 2)).toBe(true)
    expect(deferred.indexedTo).toBe(7)
    crm.sqlite.exec(`update customers set street = 'Aspen Walk' where id = 6`) // indexed now
    crm.sqlite.exec(`delete from customers where id = 8`) // not yet indexed
    add.run('New 9', 'new 9', 'Alder Gate') // above the mark (ids are AUTOINCREMENT: 8 is not handed out again)
    catchUpSearchIndex(crm.sqlite, deferred)
    crm.sqlite.exec('COMMIT')
    expect(triggers()).toEqual(before)
    expect(tempObjects()).toEqual([])
    expect(automerge()).toBe(4)
    indexMatchesTable()
    expect(found('willow')).toEqual([4])
    expect(found('birch')).toEqual([])
    expect(found('aspen')).toEqual([6])
    expect(found('rowan')).toEqual([])
    expect(found('larch')).toEqual([])
    expect(found('alder gate')).toEqual([9])
    expect(found('hazel')).toEqual([])
  })

  test('a row written with its own id at or under the mark (as unmerge restores one) is indexed by its trigger', () => {
    crm.sqlite.exec('BEGIN IMMEDIATE')
    const deferred = deferSearchIndex(crm.sqlite)!
    crm.sqlite.exec(`delete from customers where id = 3`) // indexed before the import
    crm.sqlite.prepare('insert into customers (id, first_name, search_key, street) values (3, ?, ?, ?)').run('Again Three', 'again three', 'Poplar Drive 3')
    expect(found('poplar')).toEqual([3])
    catchUpSearchIndex(crm.sqlite, deferred)
    crm.sqlite.exec('COMMIT')
    indexMatchesTable()
    expect(found('pine')).toEqual([])
    expect(found('poplar')).toEqual([3])
  })

  test('an import that fails after some chunks leaves the index, triggers, settings and temp schema as they were', () => {
    const before = { triggers: triggers(), config: config(), automerge: automerge(), temp: tempObjects() }
    const add = crm.sqlite.prepare('insert into customers (first_name, search_key, street) values (?, ?, ?)')
    crm.sqlite.exec('BEGIN IMMEDIATE')
    const deferred = deferSearchIndex(crm.sqlite)!
    for (let i = 0; i < 10; i++) add.run(`Gone ${i}`, `gone ${i}`, `Vanished Street ${i}`)
    while (deferred.indexedTo < 9) indexSearchChunk(crm.sqlite, deferred, 3)
    crm.sqlite.exec(`update customers set street = 'Elm Street 99' where id = 1`)
    expect(found('vanished')).toHaveLength(6)
    crm.sqlite.exec('ROLLBACK')
    expect({ triggers: triggers(), config: config(), automerge: automerge(), temp: tempObjects() }).toEqual(before)
    expect(found('vanished')).toEqual([])
    expect(found('elm street')).toEqual([1])
    indexMatchesTable()
    // The triggers work as before: a later write is indexed at once.
    add.run('After', 'after', 'Yew Terrace 4')
    expect(found('yew terrace')).toEqual([4])
    indexMatchesTable()
  })

  test('a second bulk write appends to a table the first one filled, each in its own transaction', () => {
    const add = crm.sqlite.prepare('insert into customers (first_name, search_key, street) values (?, ?, ?)')
    for (const round of [1, 2]) {
      crm.sqlite.exec('BEGIN IMMEDIATE')
      const deferred = deferSearchIndex(crm.sqlite)!
      expect(deferred.indexedTo).toBe(3 + (round - 1) * 7)
      for (let i = 0; i < 7; i++) add.run(`Round ${round}`, `round ${round}`, `Quarry Lane ${round}0${i}`)
      indexSearchChunk(crm.sqlite, deferred, 4)
      crm.sqlite.exec(`update customers set street = 'Moved ${round}' where id = 1`)
      catchUpSearchIndex(crm.sqlite, deferred)
      crm.sqlite.exec('COMMIT')
      indexMatchesTable()
    }
    expect(found('quarry lane 1')).toEqual([4, 5, 6, 7, 8, 9, 10])
    expect(found('quarry lane 2')).toEqual([11, 12, 13, 14, 15, 16, 17])
    expect(found('moved 2')).toEqual([1])
    expect(found('moved 1')).toEqual([])
  })
})
