import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openDb } from '../../src/db/openDb.js'
import { addCustomers, addPurchases } from '../helpers/customerData.js'
import { ROOT, runCrm, tempHome } from '../helpers/runCrm.js'

/** The `crm …` lines of the README's "Finding customers" section, split like a shell would. */
function readmeCommands(): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Finding customers: crm query'))
  const body = section.slice(0, section.indexOf('\n## ', 10) > 0 ? section.indexOf('\n## ', 10) : undefined)
  const lines = [...body.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.split('\n'))
  return lines
    .map((l) => l.replace(/\s+#.*$/, '').replace(/\s*>\s*\S+$/, '').trim())
    .filter((l) => l.startsWith('crm '))
    .map((l) => [...l.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1))
}

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
