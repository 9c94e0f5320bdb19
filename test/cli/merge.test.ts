import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { execDb, seedMergeFamily } from '../helpers/dedupeFixture.js'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
const env = { CRM_NOW: '2025-06-01T12:00:00.000Z' }
const TABLES = ['customers', 'purchases', 'interactions', 'nps_answers', 'tags', 'customer_tags']

/** Every row of every table the merge touches, exactly as stored. */
function dump(db: string): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {}
  for (const t of TABLES) out[t] = queryDb(db, `select * from ${t} order by rowid`)
  return out
}

beforeEach(async () => {
  home = tempHome()
  await seedMergeFamily(home.db)
})
afterEach(() => home.cleanup())

describe('crm merge', () => {
  test('merges into the oldest record, newest values win, history moves, alternates kept', async () => {
    const r = await runCrm(['--db', home.db, 'merge', '3', '2', '1', '--yes'], home.dir, { env })
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('1\n')
    expect(r.stderr).toContain('merged 2, 3 into 1')
    const customers = queryDb<Record<string, string | number | null>>(home.db, 'select * from customers where id <= 3')
    expect(customers).toHaveLength(1)
    const c = customers[0]!
    expect(c.id).toBe(1)
    expect(c.created_at).toBe('2023-01-01T09:00:00.000Z')
    expect(c.updated_at).toBe('2025-06-01T12:00:00.000Z')
    // Customer 2 was updated most recently: its names, email, phone and whole address win.
    expect([c.first_name, c.last_name, c.email, c.phone]).toEqual(['Bob', 'Nguyen', 'bob.nguyen@example.com', '030 1234567'])
    expect([c.street, c.city, c.postal_code]).toEqual(['12 Main Street', 'Berlin', '10115'])
    // 2 has no birth date: the next most recent non-empty one.
    expect(c.birth_date).toBe('1980-03-07')
    expect(c.consent_email).toBe('refused')
    expect(JSON.parse(String(c.extra))).toEqual({
      loyalty: 'gold',
      alternate_emails: ['rob@example.com'],
      alternate_phones: ['+49 30 1234567', '+49 170 5550000'],
    })
    expect(queryDb(home.db, 'select customer_id, count(*) n from purchases group by customer_id order by customer_id')).toEqual([
      { customer_id: 1, n: 3 },
      { customer_id: 4, n: 1 },
    ])
    expect(queryDb(home.db, 'select customer_id from interactions')).toEqual([{ customer_id: 1 }])
    expect(queryDb(home.db, 'select customer_id from nps_answers')).toEqual([{ customer_id: 1 }])
    expect(queryDb(home.db, 'select customer_id, tag_id from customer_tags order by tag_id')).toEqual([
      { customer_id: 1, tag_id: 1 },
      { customer_id: 1, tag_id: 2 },
    ])
    expect(queryDb(home.db, "select action, customer_id from audit where action = 'merge'")).toEqual([{ action: 'merge', customer_id: 1 }])
  })

  test('unmerge gives back byte-identical rows and every purchase, contact, NPS answer and tag', async () => {
    const before = dump(home.db)
    const m = await runCrm(['--db', home.db, 'merge', '1', '2', '3', '--yes'], home.dir, { env })
    expect(m.exitCode, m.stderr).toBe(0)
    expect(dump(home.db)).not.toEqual(before)
    const u = await runCrm(['--db', home.db, 'unmerge', m.stdout.trim()], home.dir, { env })
    expect(u.exitCode, u.stderr).toBe(0)
    expect(u.stdout).toBe('1 2 3\n')
    expect(dump(home.db)).toEqual(before)
    expect(queryDb(home.db, 'select action from audit order by id')).toEqual([{ action: 'merge' }, { action: 'unmerge' }])
    const again = await runCrm(['--db', home.db, 'unmerge', m.stdout.trim()], home.dir, { env })
    expect(again.exitCode).toBe(1)
    expect(again.stderr).toMatch(/^crm: merge 1 was already undone/)
  })

  test('unmerge accepts --yes like merge, rm and restore: exit 0, the merge undone', async () => {
    const m = await runCrm(['--db', home.db, 'merge', '1', '2', '--yes'], home.dir, { env })
    expect(m.exitCode, m.stderr).toBe(0)
    const u = await runCrm(['--db', home.db, 'unmerge', m.stdout.trim(), '--yes'], home.dir, { env })
    expect(u.exitCode, u.stderr).toBe(0)
    expect(u.stdout).toBe('1 2\n')
    expect(u.stderr).toContain('undid merge 1')
    expect(queryDb(home.db, 'select id from customers where id <= 3 order by id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }])
    expect(queryDb(home.db, 'select action from audit order by id')).toEqual([{ action: 'merge' }, { action: 'unmerge' }])
  })

  test('unmerge refuses when the survivor changed since, and changes nothing', async () => {
    await runCrm(['--db', home.db, 'merge', '1', '2', '--yes'], home.dir, { env })
    await execDb(home.db, "update customers set notes = 'called', updated_at = '2025-07-01T00:00:00.000Z' where id = 1")
    const before = dump(home.db)
    const u = await runCrm(['--db', home.db, 'unmerge', '1'], home.dir, { env })
    expect(u.exitCode).toBe(1)
    expect(u.stderr).toMatch(/^crm: customer 1 was changed after merge 1/)
    expect(dump(home.db)).toEqual(before)
  })

  test('without --yes and no terminal: refused, nothing changed', async () => {
    const before = dump(home.db)
    const r = await runCrm(['--db', home.db, 'merge', '1', '2'], home.dir, { env })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^crm: merge changes customers: add --yes/)
    expect(dump(home.db)).toEqual(before)
  })

  test('an unknown id is one clear line, nothing changed', async () => {
    const before = dump(home.db)
    const r = await runCrm(['--db', home.db, 'merge', '1', '99', '--yes'], home.dir, { env })
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toBe('crm: no customer with id 99; nothing merged\n')
    expect(dump(home.db)).toEqual(before)
  })

  test('bad arguments are usage errors', async () => {
    expect((await runCrm(['--db', home.db, 'merge', '1', 'x', '--yes'], home.dir)).exitCode).toBe(2)
    expect((await runCrm(['--db', home.db, 'merge', '1', '1', '--yes'], home.dir)).exitCode).toBe(2)
    expect((await runCrm(['--db', home.db, 'unmerge', 'abc'], home.dir)).exitCode).toBe(2)
    const missing = await runCrm(['--db', home.db, 'unmerge', '5'], home.dir)
    expect(missing.exitCode).toBe(1)
    expect(missing.stderr).toMatch(/^crm: no merge with id 5/)
  })
})

describe('crm dedupe', () => {
  test('lists the group with score and reasons as JSON', async () => {
    const r = await runCrm(['--db', home.db, 'dedupe', '--format', 'json'], home.dir, { env })
    expect(r.exitCode, r.stderr).toBe(0)
    const groups = JSON.parse(r.stdout) as Array<{ ids: number[]; score: number; reasons: string[] }>
    expect(groups.map((g) => g.ids)).toEqual([[1, 2, 3]])
    expect(groups[0]!.score).toBeGreaterThan(0.5) // the weakest pair: Bob and Rob share only name and email
    expect(groups[0]!.reasons.length).toBeGreaterThan(2)
    expect(r.stderr).toContain('1 groups of likely duplicates (3 customers) among 13 customers')
  })

  test('csv has one row per group', async () => {
    const r = await runCrm(['--db', home.db, 'dedupe', '--format', 'csv', '--threshold', '0.5'], home.dir, { env })
    expect(r.exitCode, r.stderr).toBe(0)
    const lines = r.stdout.trim().split('\n')
    expect(lines[0]).toBe('group,score,ids,names,reasons')
    expect(lines[1]).toMatch(/^1,[0-9.]+,1 2 3,Robert Nguyễn \| Bob Nguyen \| Rob Nguyen,/)
  })

  test('--explain prints every weight, the evidence against a match with its set strength', async () => {
    const r = await runCrm(['--db', home.db, 'dedupe', '--explain', '--format', 'json'], home.dir, { env })
    expect(r.exitCode, r.stderr).toBe(0)
    const rows = JSON.parse(r.stdout) as Array<{ comparison: string; level: string; m: number; u: number; weight: number; rule: string }>
    const row = (comparison: string, level: string) => rows.find((x) => x.comparison === comparison && x.level === level)
    expect(row('birth date', 'a generation apart')).toMatchObject({ weight: -20, rule: 'against: at most -20 bits (× 1)' })
    expect(row('first name', 'differs')!.weight).toBeLessThanOrEqual(-10)
    expect(row('generation suffix', 'differs')!.weight).toBe(-20)
    expect(row('first name', 'nickname')!.rule).toBe('learned')
    expect(row('phone', 'exact')!.rule).toContain('household: only the strongest counts')
    expect(r.stderr).toMatch(/^prior -?[0-9.]+ bits; .* evidence against a match weighs 100% of its set strength\n/)
    const both = await runCrm(['--db', home.db, 'dedupe', '--explain', '--merge', '--yes'], home.dir, { env })
    expect(both.exitCode).toBe(2)
    expect(both.stderr).toBe('crm: --explain prints the weights and changes nothing: drop --review and --merge\n')
  })

  test('--review without a terminal is refused with a hint', async () => {
    const r = await runCrm(['--db', home.db, 'dedupe', '--review'], home.dir, { env })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^crm: --review needs a terminal/)
  })

  test('--merge needs --yes in scripts; with it, merges in one go and prints merge ids', async () => {
    const refused = await runCrm(['--db', home.db, 'dedupe', '--merge'], home.dir, { env })
    expect(refused.exitCode).toBe(2)
    const r = await runCrm(['--db', home.db, 'dedupe', '--merge', '--threshold', '0.9', '--yes'], home.dir, { env })
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('1\n')
    expect(queryDb(home.db, 'select count(*) n from customers')).toEqual([{ n: 11 }])
    const after = await runCrm(['--db', home.db, 'dedupe', '--format', 'json'], home.dir, { env })
    expect(JSON.parse(after.stdout)).toEqual([])
  })

  test('the shared customer filter narrows who is compared', async () => {
    const berlin = await runCrm(['--db', home.db, 'dedupe', '--city', 'berlin', '--format', 'json'], home.dir, { env })
    expect(berlin.exitCode, berlin.stderr).toBe(0)
    // Customer 3 has no city: outside the filter, so not in the group.
    expect((JSON.parse(berlin.stdout) as Array<{ ids: number[] }>).map((g) => g.ids)).toEqual([[1, 2]])
    const koeln = await runCrm(['--db', home.db, 'dedupe', '--city', 'Köln', '--format', 'json'], home.dir, { env })
    expect(JSON.parse(koeln.stdout)).toEqual([])
  })

  test('a bad threshold is a usage error', async () => {
    const r = await runCrm(['--db', home.db, 'dedupe', '--threshold', '2'], home.dir, { env })
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toMatch(/^crm: --threshold: a probability between 0 and 1/)
  })
})
