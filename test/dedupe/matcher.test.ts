import { afterEach, beforeEach, expect, test } from 'vitest'
import { openDb, type CrmDb } from '../../src/db/openDb.js'
import { findMatchesFor } from '../../src/dedupe/index.js'
import { seedCustomers, strangers } from '../helpers/dedupeFixture.js'
import { tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
let crm: CrmDb
beforeEach(async () => {
  home = tempHome()
  await seedCustomers(home.db, [
    { first_name: 'Margaret', last_name: 'Hale', email: 'mhale@example.com', phone: '+44 113 496 0001', birth_date: '1955-11-02',
      street: '40 Oak Avenue', city: 'Leeds', postal_code: 'LS1 4AP', created_at: '2024-01-01T00:00:00.000Z', updated_at: '2024-01-01T00:00:00.000Z' },
    ...strangers(),
  ])
  crm = await openDb(home.db)
})
afterEach(async () => {
  await crm.close()
  home.cleanup()
})

test('findMatchesFor: an import row that is an existing customer, with reasons', () => {
  const matches = findMatchesFor(crm, { first_name: 'Peggy', last_name: 'Hale', phone: '+44 113 496 0001', street: '40 Oak Ave', postal_code: 'ls14ap' })
  expect(matches.map((m) => m.id)).toEqual([1])
  expect(matches[0]!.score).toBeGreaterThan(0.9)
  expect(matches[0]!.reasons).toContain('first name Margaret ≈ Peggy (nickname)')
})

test('findMatchesFor: a stranger matches nobody', () => {
  expect(findMatchesFor(crm, { first_name: 'Zoe', last_name: 'Quist', email: 'zq@example.net', birth_date: '2001-01-01' })).toEqual([])
})
