import { afterEach, beforeEach, expect, test } from 'vitest'
import { reviewTwin, seedCustomers, strangers } from '../helpers/dedupeFixture.js'
import { runCrmOnTtyTypedAhead } from '../helpers/runCrmTty.js'
import { queryDb, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>

beforeEach(async () => {
  home = tempHome()
  await seedCustomers(home.db, [...reviewTwin('Peggy', 'Hale', 'ph@example.com', '+44 1904 000001'), ...reviewTwin('Ivan', 'Sokolov', 'is@example.com', '+44 1904 000002'), ...strangers()])
})
afterEach(() => home.cleanup())

const runInTerminal = (args: string[], input: string) => runCrmOnTtyTypedAhead(args, home.dir, input, { CRM_NOW: '2025-01-01T00:00:00.000Z' })

test('--review on a terminal: one group at a time; "not the same person" is remembered', () => {
  const r = runInTerminal(['--db', home.db, 'dedupe', '--review'], 'n\nm\n')
  expect(r.status, r.stdout).toBe(0)
  expect(r.stdout).toContain('Group 1 of 2')
  expect(r.stdout).toContain('Group 2 of 2')
  expect(r.stdout).toContain('1 merged, 1 marked not the same person, 0 skipped')
  expect(queryDb(home.db, 'select count(*) n from merges')).toEqual([{ n: 1 }])
  expect(queryDb(home.db, 'select count(*) n from distinct_pairs')).toEqual([{ n: 1 }])
  const again = runInTerminal(['--db', home.db, 'dedupe', '--review'], 'q\n')
  expect(again.stdout).toContain('0 groups of likely duplicates')
})
