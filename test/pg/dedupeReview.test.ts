import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { seedCustomers, strangers, type PersonRow } from '../helpers/dedupeFixture.js'
import { BIN, runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, queryPg } from './pgHelpers.js'

// test/cli/dedupeReview.test.ts on PostgreSQL: the same people, copied over with crm copy.
let home: ReturnType<typeof tempHome>
let url: string
const at = '2024-01-01T00:00:00.000Z'
const twin = (first: string, last: string, email: string, phone: string): PersonRow[] => [
  { first_name: first, last_name: last, email, phone, birth_date: '1975-04-03', street: '9 Elm Street', city: 'York', created_at: at, updated_at: at },
  { first_name: first, last_name: last, email, phone, birth_date: '1975-04-03', street: '9 Elm St', city: 'York', created_at: at, updated_at: at },
]

beforeEach(async () => {
  home = tempHome()
  url = await freshDatabase()
  await seedCustomers(home.db, [...twin('Peggy', 'Hale', 'ph@example.com', '+44 1904 000001'), ...twin('Ivan', 'Sokolov', 'is@example.com', '+44 1904 000002'), ...strangers()])
  const copied = await runCrm(['copy', '--from', home.db, '--to', url], home.dir)
  expect(copied.exitCode, copied.stderr).toBe(0)
})
afterEach(() => home.cleanup())

/** Runs crm under a pseudo-terminal (util-linux `script`), typing `input` ahead. */
function runInTerminal(args: string[], input: string) {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ')
  return spawnSync('script', ['-qec', command, '/dev/null'], {
    input,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH, HOME: home.dir, XDG_DATA_HOME: join(home.dir, 'data'), XDG_CONFIG_HOME: join(home.dir, 'config'), TZ: 'UTC', CRM_NOW: '2025-01-01T00:00:00.000Z' },
  })
}

test('--review on a terminal, on PostgreSQL: a merge and a remembered "not the same person"', async () => {
  const r = runInTerminal(['--db', url, 'dedupe', '--review'], 'n\nm\n')
  expect(r.status, r.stdout).toBe(0)
  expect(r.stdout).toContain('Group 1 of 2')
  expect(r.stdout).toContain('Group 2 of 2')
  expect(r.stdout).toContain('1 merged, 1 marked not the same person, 0 skipped')
  expect(await queryPg(url, 'select count(*)::int as n from merges')).toEqual([{ n: 1 }])
  expect(await queryPg(url, 'select count(*)::int as n from distinct_pairs')).toEqual([{ n: 1 }])
  const again = runInTerminal(['--db', url, 'dedupe', '--review'], 'q\n')
  expect(again.stdout).toContain('0 groups of likely duplicates')
})
