import { afterEach, beforeEach, expect, test } from 'vitest'
import { openSqliteDb, type SqliteCrmDb } from '../../src/db/openDb.js'
import { reviewGroups, runDedupe, type ReviewAnswer } from '../../src/dedupe/index.js'
import { seedCustomers, strangers, type PersonRow } from '../helpers/dedupeFixture.js'
import { queryDb, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
let crm: SqliteCrmDb
const at = '2024-01-01T00:00:00.000Z'
const twin = (first: string, last: string, email: string, phone: string, birth: string): PersonRow[] => [
  { first_name: first, last_name: last, email, phone, birth_date: birth, street: '1 Elm Street', city: 'Leeds', created_at: at, updated_at: at },
  { first_name: first, last_name: last, email: email.toUpperCase(), phone, birth_date: birth, street: '1 Elm St', city: 'Leeds', created_at: at, updated_at: at },
]

beforeEach(async () => {
  home = tempHome()
  await seedCustomers(home.db, [
    ...twin('Margaret', 'Hale', 'mhale@example.com', '+44 113 496 0001', '1970-01-02'), // 1, 2
    ...twin('Peter', 'Quince', 'pq@example.com', '+44 113 496 0002', '1981-05-06'), // 3, 4
    ...twin('Olga', 'Petrova', 'olga@example.com', '+44 113 496 0003', '1990-09-10'), // 5, 6
    ...strangers(),
  ])
  crm = await openSqliteDb(home.db)
})
afterEach(async () => {
  await crm.close()
  home.cleanup()
})

test('review: merge, not the same person (remembered), skip (asked again next time)', async () => {
  const first = runDedupe(crm).shown
  expect(first.map((g) => g.ids).sort()).toEqual([[1, 2], [3, 4], [5, 6]])
  const answers: Record<string, ReviewAnswer> = { '1,2': 'merge', '3,4': 'distinct', '5,6': 'skip' }
  const seen: string[] = []
  const summary = await reviewGroups(
    crm.db,
    first,
    async (g, i, total) => {
      seen.push(`${i + 1}/${total}`)
      return answers[g.ids.join(',')]!
    },
    () => '2025-01-01T00:00:00.000Z',
  )
  expect(seen).toEqual(['1/3', '2/3', '3/3'])
  expect(summary.merged.map((m) => m.survivorId)).toEqual([1])
  expect([summary.distinct, summary.skipped, summary.left]).toEqual([1, 1, 0])
  expect(queryDb(home.db, 'select customer_a, customer_b from distinct_pairs')).toEqual([{ customer_a: 3, customer_b: 4 }])
  expect(queryDb(home.db, 'select id from customers where id in (1, 2)')).toEqual([{ id: 1 }])
  // Next time only the skipped group is asked about.
  expect(runDedupe(crm).shown.map((g) => g.ids)).toEqual([[5, 6]])
})

test('review: quitting keeps what was decided and counts what is left', async () => {
  const groups = runDedupe(crm).shown
  let calls = 0
  const summary = await reviewGroups(crm.db, groups, async () => (calls++ === 0 ? 'distinct' : 'quit'), () => at)
  expect(summary).toMatchObject({ distinct: 1, left: 2, merged: [] })
  expect(queryDb(home.db, 'select count(*) n from distinct_pairs')).toEqual([{ n: 1 }])
})
