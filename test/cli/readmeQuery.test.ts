import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDb } from '../../src/db/openDb.js'
import { addCustomers, addPurchases } from '../helpers/customerData.js'
import { QUERY_SECTION, readmeCommands as readmeCommandsOf } from '../helpers/readme.js'
import { runCrm, tempHome } from '../helpers/runCrm.js'

const readmeCommands = () => readmeCommandsOf(QUERY_SECTION)

let home: ReturnType<typeof tempHome>
beforeAll(async () => {
  home = tempHome()
  const crm = await openDb(home.db)
  await addCustomers(crm.db, [{ first_name: 'Anna', last_name: 'Müller', gender: 'f', city: 'München', country: 'DE' }])
  await addPurchases(crm.db, [{ customer_id: 1, purchased_at: '2026-11-20T10:00:00.000Z', amount_cents: 60000 }])
  await crm.close()
})
afterAll(() => home.cleanup())

test('the README section has an example of every filter and output flag', () => {
  const used = new Set(readmeCommands().flat().filter((a) => a.startsWith('--')))
  for (const flag of [
    '--gender', '--age-min', '--age-max', '--birthday-within', '--city', '--state', '--zip', '--country', '--territory',
    '--rep', '--source', '--tag', '--consent', '--search', '--days', '--since', '--until', '--spent-gt', '--spent-lt',
    '--orders-gt', '--bought', '--category', '--inactive-days', '--segment', '--format', '--fields', '--sort', '--limit',
    '--offset', '--count', '--raw', '--yes',
  ]) {
    expect(used, flag).toContain(flag)
  }
})

test('every crm command in the README section runs as written', async () => {
  const commands = readmeCommands()
  expect(commands.length).toBeGreaterThan(20)
  for (const args of commands) {
    const r = await runCrm(['--db', home.db, ...args], home.dir, { env: { CRM_NOW: '2026-11-23T12:00:00Z' } })
    expect({ args, stderr: r.stderr, exitCode: r.exitCode }).toMatchObject({ exitCode: 0 })
  }
  // About 30 whole processes, one after another (segment save comes before its use).
}, 240_000)
