import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { editCustomer } from '../../src/customers/editCustomer.js'
import { resolveCustomer } from '../../src/customers/findCustomer.js'
import { tagCustomer, untagCustomer } from '../../src/customers/tagCustomer.js'
import { openDb, type CrmDb } from '../../src/db/openDb.js'

// A command looks its customer up, then takes the write lock. These tests commit another
// change in between (as a second crm process would) and check nothing stale is written.
let dir: string
let crm: CrmDb
const at = '2026-11-23T12:00:00.000Z'
const opts = { at, defaultCountry: 'DE' }
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-stale-'))
  crm = await openDb(join(dir, 'crm.db'))
  await crm.db.insertInto('customers').values([{ first_name: 'Ana', last_name: 'Silva', city: 'Berlin', city_key: 'berlin', email: 'ana@example.com', email_norm: 'ana@example.com' }]).execute()
})
afterEach(async () => {
  await crm.close()
  rmSync(dir, { recursive: true, force: true })
})

const row = () => crm.db.selectFrom('customers').selectAll().where('id', '=', 1).executeTakeFirstOrThrow()

describe('a customer looked up before another write commits', () => {
  test('an edit of one field keeps a city changed meanwhile, and its key', async () => {
    const looked = await resolveCustomer(crm.db, 'ana@example.com')
    await editCustomer(crm.db, looked, { city: 'Oakland' }, opts)
    const changes = await editCustomer(crm.db, looked, { phone: '+49 30 1234567' }, opts)
    expect(changes.map((c) => c.field)).toEqual(['phone'])
    expect(await row()).toMatchObject({ city: 'Oakland', city_key: 'oakland', phone: '+49 30 1234567', phone_e164: '+49301234567' })
  })

  test('a value set meanwhile to what the edit asks is no change and no audit row', async () => {
    const looked = await resolveCustomer(crm.db, '1')
    await editCustomer(crm.db, looked, { city: 'Oakland' }, opts)
    expect(await editCustomer(crm.db, looked, { city: 'Oakland' }, opts)).toEqual([])
    const audits = await crm.db.selectFrom('audit').select('action').where('action', '=', 'edit').execute()
    expect(audits).toHaveLength(1)
  })

  test('edit, tag and untag of a customer merged away meanwhile: one clear error, nothing written', async () => {
    const looked = await resolveCustomer(crm.db, '1')
    await crm.db.deleteFrom('customers').where('id', '=', 1).execute() // what a merge does to the merged row
    const message = /customer 1 was merged or erased while this (edit|tag|untag) waited; nothing changed/
    await expect(editCustomer(crm.db, looked, { city: 'Oakland' }, opts)).rejects.toThrow(message)
    await expect(tagCustomer(crm.db, looked.id, ['vip'], at)).rejects.toThrow(message)
    await expect(untagCustomer(crm.db, looked.id, ['vip'], at)).rejects.toThrow(message)
    expect(await crm.db.selectFrom('tags').selectAll().execute()).toEqual([])
    expect(await crm.db.selectFrom('audit').selectAll().execute()).toEqual([])
  })

  test('an edit of a customer erased meanwhile changes nothing', async () => {
    const looked = await resolveCustomer(crm.db, '1')
    await crm.db.updateTable('customers').set({ forgotten_at: at }).where('id', '=', 1).execute()
    await expect(editCustomer(crm.db, looked, { city: 'Oakland' }, opts)).rejects.toThrow(/was merged or erased while this edit waited/)
    expect((await row()).city).toBe('Berlin')
  })
})
