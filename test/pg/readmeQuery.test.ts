import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDb } from '../../src/db/openDb.js'
import { addCustomers, addPurchases, tagCustomer } from '../helpers/customerData.js'
import { QUERY_SECTION, readmeCommands } from '../helpers/readme.js'
import { runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase } from './pgHelpers.js'

// Every `crm …` line of the README's query section, run against PostgreSQL and against
// SQLite holding the same rows: the same exit code, the same output. "The same commands
// with no change but the address", checked flag by flag.
const home = tempHome()
let url: string
const env = { CRM_NOW: '2026-11-23T12:00:00Z' }
const at = '2026-01-05T09:00:00.000Z'

async function seed(target: string): Promise<void> {
  const crm = await openDb(target)
  try {
    const [anna, boris] = await addCustomers(crm.db, [
      { first_name: 'Anna', last_name: 'Müller', gender: 'f', birth_date: '1980-11-25', city: 'München', region: 'Bayern', postal_code: '80331', country: 'DE', source: 'Instagram', territory: 'Süd', sales_rep: 'Eva', email: 'anna@example.de', consent_email: 'granted', created_at: at, updated_at: at },
      { first_name: 'Boris', last_name: 'Ivanov', gender: 'm', birth_date: '1975-02-01', city: 'Berlin', country: 'DE', email: 'boris@example.de', consent_mail: 'granted', created_at: at, updated_at: at },
    ])
    await addPurchases(crm.db, [
      { customer_id: anna!, purchased_at: '2026-11-20T10:00:00.000Z', amount_cents: 60000, product: 'Espresso machine', category: 'Machines', order_id: 'A1', line: 1, created_at: at, updated_at: at },
      { customer_id: boris!, purchased_at: '2025-03-01T10:00:00.000Z', amount_cents: 1500, product: 'Beans', category: 'Coffee', order_id: 'B1', line: 1, created_at: at, updated_at: at },
    ])
    await tagCustomer(crm.db, anna!, 'vip')
  } finally {
    await crm.close()
  }
}

beforeAll(async () => {
  url = await freshDatabase()
  await seed(home.db)
  await seed(url)
})
afterAll(() => home.cleanup())

test('every crm command of the README query section answers the same on PostgreSQL as on SQLite', async () => {
  const commands = readmeCommands(QUERY_SECTION)
  expect(commands.length).toBeGreaterThan(20)
  let withRows = 0
  for (const args of commands) {
    const onSqlite = await runCrm(['--db', home.db, ...args], home.dir, { env })
    const onPg = await runCrm(['--db', url, ...args], home.dir, { env })
    expect({ args, exitCode: onSqlite.exitCode, stderr: onSqlite.stderr }).toMatchObject({ exitCode: 0 })
    expect({ args, exitCode: onPg.exitCode, stdout: onPg.stdout, stderr: onPg.stderr }).toEqual({ args, exitCode: 0, stdout: onSqlite.stdout, stderr: onSqlite.stderr })
    if (onSqlite.stdout.trim().split('\n').length > 1 || /^[1-9]\d*$/.test(onSqlite.stdout.trim())) withRows++
  }
  // The seed is shaped so that most examples select someone: equal empty answers prove little.
  expect(withRows).toBeGreaterThan(commands.length / 2)
}, 300_000)
