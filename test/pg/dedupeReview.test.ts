import { afterEach, beforeEach, expect, test } from 'vitest'
import { reviewTwin, seedCustomers, strangers } from '../helpers/dedupeFixture.js'
import { runCrmOnTtyTypedAhead } from '../helpers/runCrmTty.js'
import { runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, queryPg } from './pgHelpers.js'

// test/cli/dedupeReview.test.ts on PostgreSQL: the same people, copied over with crm copy.
let home: ReturnType<typeof tempHome>
let url: string

beforeEach(async () => {
  home = tempHome()
  url = await freshDatabase()
  await seedCustomers(home.db, [...reviewTwin('Peggy', 'Hale', 'ph@example.com', '+44 1904 000001'), ...reviewTwin('Ivan', 'Sokolov', 'is@example.com', '+44 1904 000002'), ...strangers()])
  const copied = await runCrm(['copy', '--from', home.db, '--to', url], home.dir)
  expect(copied.exitCode, copied.stderr).toBe(0)
})
afterEach(() => home.cleanup())

const runInTerminal = (args: string[], input: string) => runCrmOnTtyTypedAhead(args, home.dir, input, { CRM_NOW: '2025-01-01T00:00:00.000Z' })

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
