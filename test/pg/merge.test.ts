import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { execDb, seedMergeFamily } from '../helpers/dedupeFixture.js'
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
  await seedMergeFamily(home.db, { fixedStamps: true })
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
