import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { resolveCustomer } from '../../src/customers/findCustomer.js'
import { openDb, type CrmDb } from '../../src/db/openDb.js'

let dir: string
let crm: CrmDb
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-find-'))
  crm = await openDb(join(dir, 'crm.db'))
  await crm.db.insertInto('customers').values([
    { first_name: 'Ana', email: 'Ana@Example.com', email_norm: 'ana@example.com', external_id: 'K-1' },
    { first_name: 'Ben', email: 'ben@example.com', email_norm: 'ben@example.com', external_id: '1' },
    { first_name: 'Old', email: 'old@example.com', email_norm: 'old@example.com', forgotten_at: '2026-01-01T00:00:00.000Z' },
  ]).execute()
})
afterEach(async () => {
  await crm.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('resolveCustomer', () => {
  test('by id, email (any case), external id, and with explicit prefixes', async () => {
    expect((await resolveCustomer(crm.db, 'ANA@example.com')).id).toBe(1)
    expect((await resolveCustomer(crm.db, 'K-1')).id).toBe(1)
    expect((await resolveCustomer(crm.db, 'id:1')).id).toBe(1)
    expect((await resolveCustomer(crm.db, 'ext:1')).id).toBe(2)
    expect((await resolveCustomer(crm.db, 'email:ben@example.com')).id).toBe(2)
  })

  test('digits that are one customer\'s id and another\'s external id are ambiguous', async () => {
    await expect(resolveCustomer(crm.db, '1')).rejects.toThrow(`"1" is customer 1's id and customer 2's external id: say id:1 or ext:1`)
  })

  test('an erased customer is an error unless asked for; an unknown ref names itself', async () => {
    await expect(resolveCustomer(crm.db, '3')).rejects.toThrow('customer 3 was erased with crm forget on 2026-01-01')
    expect((await resolveCustomer(crm.db, '3', { allowForgotten: true })).first_name).toBe('Old')
    await expect(resolveCustomer(crm.db, 'nobody')).rejects.toThrow('no customer "nobody"')
    await expect(resolveCustomer(crm.db, 'id:x')).rejects.toThrow('an id is a whole number')
  })
})
