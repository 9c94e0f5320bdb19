import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { listManifests, safetyBackup } from '../../src/backup/index.js'
import { openDb, openSqliteDb } from '../../src/db/openDb.js'
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

test('a migration retried after a failure reuses the safety backup of the unchanged database, and a changed one gets a new backup', async () => {
  await seedCustomers(home.db, 5)
  const { safetyBackupBeforeMigration } = await import('../../src/cli/migrationBackup.js')
  const dir = join(home.dir, 'backups')
  const crm = await openSqliteDb(home.db)
  try {
    const db = { path: home.db, sqlite: crm.sqlite }
    await safetyBackupBeforeMigration(db, ['0099_example'])
    // The migration failed and rolled back; the next command tries again on the same data.
    await safetyBackupBeforeMigration(db, ['0099_example'])
    expect(listManifests(dir)).toHaveLength(1)
    // Something changed in between (an older crm wrote to it): that state is kept too.
    crm.sqlite.prepare(`insert into customers (first_name) values ('Late')`).run()
    await safetyBackupBeforeMigration(db, ['0099_example'])
    // Another migration pending is another reason.
    await safetyBackupBeforeMigration(db, ['0100_other'])
    expect(listManifests(dir).map((m) => [m.note, m.tables.customers])).toEqual([
      ['before migration 0100_other', 6],
      ['before migration 0099_example', 6],
      ['before migration 0099_example', 5],
    ])
  } finally {
    await crm.close()
  }
})
