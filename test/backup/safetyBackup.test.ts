import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { listManifests, safetyBackup } from '../../src/backup/index.js'
import { openDb } from '../../src/db/openDb.js'
import { tempHome } from '../helpers/runCrm.js'
import { seedCustomers } from './helpers.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

test('safetyBackup() keeps the database as it was, in backups/ beside it, marked safety with the reason', async () => {
  await seedCustomers(home.db, 42)
  const crm = await openDb(home.db)
  try {
    const made = await safetyBackup(crm, 'before merge 12 into 7')
    expect(made).toMatchObject({ kind: 'safety', note: 'before merge 12 into 7' })
    expect(made!.tables.customers).toBe(42)
  } finally {
    await crm.close()
  }
  const dir = join(home.dir, 'backups')
  expect(listManifests(dir).map((m) => [m.kind, m.note])).toEqual([['safety', 'before merge 12 into 7']])
  expect(statSync(dir).mode & 0o777).toBe(0o700)
  for (const f of readdirSync(dir)) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600)
  expect(await safetyBackup({ kind: 'postgres', path: 'postgres://x' }, 'nothing to do')).toBeNull()
})
