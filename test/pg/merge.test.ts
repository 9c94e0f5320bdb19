import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { execDb, seedCustomers, strangers } from '../helpers/dedupeFixture.js'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, queryPg } from './pgHelpers.js'

// crm merge, unmerge and dedupe on PostgreSQL: the same database as test/cli/merge.test.ts
// is made on SQLite, copied to PostgreSQL with crm copy, and every command runs on both.
// Output, exit code and every row afterwards must agree.

let home: ReturnType<typeof tempHome>
let url: string
const env = { CRM_NOW: '2025-06-01T12:00:00.000Z' }
type Row = Record<string, unknown>

/** Rows in a stable order; clock defaults (created_at of merges and audit rows) left out. */
const DUMP: Record<string, string> = {
  customers: 'select * from customers order by id',
  purchases: 'select * from purchases order by id',
  interactions: 'select * from interactions order by id',
  nps_answers: 'select * from nps_answers order by id',
  tags: 'select * from tags order by id',
  customer_tags: 'select * from customer_tags order by customer_id, tag_id',
  merges: 'select id, survivor_id, merged_ids, snapshot, survivor_updated_at, merged_at, undone_at from merges order by id',
  audit: 'select id, at, action, customer_id, details from audit order by id',
  distinct_pairs: 'select customer_a, customer_b from distinct_pairs order by customer_a, customer_b',
}

async function dumpPg(): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {}
  for (const [t, q] of Object.entries(DUMP)) out[t] = await queryPg(url, q)
  return out
}
function dumpSqlite(): Record<string, Row[]> {
  const out: Record<string, Row[]> = {}
  for (const [t, q] of Object.entries(DUMP)) out[t] = queryDb(home.db, q)
  return out
}

/** Runs one command on PostgreSQL and on SQLite; both must say and store the same. */
async function both(...args: string[]) {
  const p = await runCrm(['--db', url, ...args], home.dir, { env })
  const s = await runCrm(['--db', home.db, ...args], home.dir, { env })
  expect({ exitCode: p.exitCode, stdout: p.stdout, stderr: p.stderr }).toEqual({ exitCode: s.exitCode, stdout: s.stdout, stderr: s.stderr })
  expect(await dumpPg()).toEqual(dumpSqlite())
  return p
}

beforeEach(async () => {
  home = tempHome()
  url = await freshDatabase()
  await seedCustomers(home.db, [
    { first_name: 'Robert', last_name: 'Nguyễn', email: 'rob@example.com', phone: '+49 30 1234567', birth_date: '1980-03-07',
      street: '12 Main St', city: 'Berlin', postal_code: '10115', created_at: '2023-01-01T09:00:00.000Z', updated_at: '2023-01-01T09:00:00.000Z',
      extra: '{"loyalty":"gold"}' },
    { first_name: 'Bob', last_name: 'Nguyen', email: 'bob.nguyen@example.com', phone: '030 1234567', birth_date: null,
      street: '12 Main Street', city: 'Berlin', postal_code: '10115', created_at: '2024-05-01T09:00:00.000Z', updated_at: '2024-06-01T09:00:00.000Z',
      consent_email: 'refused' },
    { first_name: 'Rob', last_name: 'Nguyen', email: 'Bob.Nguyen@example.com', phone: '+49 170 5550000', birth_date: '1980-03-07',
      street: null, city: null, postal_code: null, created_at: '2024-01-01T09:00:00.000Z', updated_at: '2024-01-02T09:00:00.000Z' },
    ...strangers(),
  ])
  await execDb(
    home.db,
    `insert into purchases (customer_id, purchased_at, product, amount_cents, currency, created_at, updated_at) values
       (1, '2024-01-05T10:00:00Z', 'tea', 450, 'EUR', 'x', 'x'), (2, '2024-05-05T10:00:00Z', 'cup', 1200, 'EUR', 'x', 'x'),
       (3, '2024-02-05T10:00:00Z', 'pot', 3000, 'EUR', 'x', 'x'), (4, '2024-02-06T10:00:00Z', 'tea', 450, 'EUR', 'x', 'x');
     insert into interactions (customer_id, occurred_at, channel, kind, note, created_at, updated_at) values (2, '2024-05-06T10:00:00Z', 'phone', 'question', 'asked about cups', 'x', 'x');
     insert into nps_answers (customer_id, score, answered_at, created_at, updated_at) values (3, 9, '2024-03-01T10:00:00Z', 'x', 'x');
     insert into tags (name, created_at, updated_at) values ('vip', 'x', 'x'), ('wholesale', 'x', 'x');
     insert into customer_tags (customer_id, tag_id, created_at, updated_at) values (1, 1, '2023-02-01T00:00:00.000Z', '2023-02-01T00:00:00.000Z'),
       (2, 1, '2024-05-02T00:00:00.000Z', '2024-05-02T00:00:00.000Z'), (3, 2, '2024-01-03T00:00:00.000Z', '2024-01-03T00:00:00.000Z');`,
  )
  const copied = await runCrm(['copy', '--from', home.db, '--to', url], home.dir, { env })
  expect(copied.exitCode, copied.stderr).toBe(0)
  expect(await dumpPg()).toEqual(dumpSqlite())
})
afterEach(() => home.cleanup())

describe('crm merge and unmerge on PostgreSQL', () => {
  test('merges into the oldest record exactly as on SQLite', async () => {
    const r = await both('merge', '3', '2', '1', '--yes')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('1\n')
    expect(r.stderr).toContain('merged 2, 3 into 1')
    const [c] = await queryPg(url, 'select * from customers where id <= 3')
    expect([c!.first_name, c!.email, c!.consent_email, c!.updated_at]).toEqual(['Bob', 'bob.nguyen@example.com', 'refused', '2025-06-01T12:00:00.000Z'])
    expect(await queryPg(url, 'select customer_id, count(*)::int as n from purchases group by customer_id order by customer_id')).toEqual([
      { customer_id: 1, n: 3 },
      { customer_id: 4, n: 1 },
    ])
  })

  test('unmerge gives back identical rows; a second unmerge is refused', async () => {
    const before = await dumpPg()
    const m = await both('merge', '1', '2', '3', '--yes')
    expect(m.exitCode, m.stderr).toBe(0)
    const u = await both('unmerge', m.stdout.trim())
    expect(u.exitCode, u.stderr).toBe(0)
    expect(u.stdout).toBe('1 2 3\n')
    const after = await dumpPg()
    for (const t of ['customers', 'purchases', 'interactions', 'nps_answers', 'tags', 'customer_tags']) expect(after[t]).toEqual(before[t])
    const again = await both('unmerge', m.stdout.trim())
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toMatch(/^crm: merge 1 was already undone/)
    // Ids handed out after an unmerge re-inserted rows with explicit ids do not collide.
    const add = await both('add', '--first-name', 'Nina', '--email', 'nina@example.com')
    expect(add.exitCode, add.stderr).toBe(0)
  })

  test('unmerge refuses when the survivor changed since, and changes nothing', async () => {
    await both('merge', '1', '2', '--yes')
    const edit = "update customers set notes = 'called', updated_at = '2025-07-01T00:00:00.000Z' where id = 1"
    await queryPg(url, edit)
    await execDb(home.db, edit)
    const before = await dumpPg()
    const u = await both('unmerge', '1')
    expect(u.exitCode).toBe(1)
    expect(u.stderr).toMatch(/^crm: customer 1 was changed after merge 1/)
    expect(await dumpPg()).toEqual(before)
  })

  test('an unknown id, a missing --yes and bad arguments: one clear line, nothing changed', async () => {
    const unknown = await both('merge', '1', '99', '--yes')
    expect(unknown.exitCode).toBe(1)
    expect(unknown.stderr).toBe('crm: no customer with id 99; nothing merged\n')
    const noYes = await both('merge', '1', '2')
    expect(noYes.exitCode).toBe(2)
    expect((await both('merge', '1', 'x', '--yes')).exitCode).toBe(2)
    const missing = await both('unmerge', '5')
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toMatch(/^crm: no merge with id 5/)
  })
})

describe('crm dedupe on PostgreSQL', () => {
  test('lists the same groups as JSON and CSV', async () => {
    const json = await both('dedupe', '--format', 'json')
    expect(json.exitCode, json.stderr).toBe(0)
    expect((JSON.parse(json.stdout) as Array<{ ids: number[] }>).map((g) => g.ids)).toEqual([[1, 2, 3]])
    expect(json.stderr).toContain('1 groups of likely duplicates (3 customers) among 13 customers')
    const csv = await both('dedupe', '--format', 'csv', '--threshold', '0.5')
    expect(csv.stdout.split('\n')[1]).toMatch(/^1,[0-9.]+,1 2 3,Robert Nguyễn \| Bob Nguyen \| Rob Nguyen,/)
  })

  test('the shared customer filter narrows who is compared', async () => {
    const berlin = await both('dedupe', '--city', 'berlin', '--format', 'json')
    expect((JSON.parse(berlin.stdout) as Array<{ ids: number[] }>).map((g) => g.ids)).toEqual([[1, 2]])
  })

  test('--merge --yes merges every group in one go and prints merge ids', async () => {
    expect((await both('dedupe', '--merge')).exitCode).toBe(2)
    const r = await both('dedupe', '--merge', '--threshold', '0.9', '--yes')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('1\n')
    expect(await queryPg(url, 'select count(*)::int as n from customers')).toEqual([{ n: 11 }])
    const after = await both('dedupe', '--format', 'json')
    expect(JSON.parse(after.stdout)).toEqual([])
  })

  test('pairs marked "not the same person" are never proposed again', async () => {
    // --review needs a terminal; the pairs it writes are what dedupe reads back.
    await queryPg(url, "insert into distinct_pairs (customer_a, customer_b) values (1, 2), (1, 3), (2, 3)")
    await execDb(home.db, 'insert into distinct_pairs (customer_a, customer_b) values (1, 2), (1, 3), (2, 3)')
    const r = await both('dedupe', '--format', 'json')
    expect(JSON.parse(r.stdout)).toEqual([])
  })
})
