import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { knownMigrations } from '../../src/db/migrate.js'
import { runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, queryPg } from './pgHelpers.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

/** File k holds customers k*300 … k*300+599: each overlaps the next by half. */
function writeFile(k: number): string {
  const file = join(home.dir, `desk${k}.csv`)
  const rows = ['first_name,last_name,email,city,tags']
  for (let i = k * 300; i < k * 300 + 600; i++) rows.push(`Name${i},Desk${k},person${i}@example.com,City${i % 7},desk${k}`)
  writeFileSync(file, rows.join('\n') + '\n')
  return file
}

test('four imports and two queries at once on a new database: every import commits, no person twice, nothing lost', async () => {
  const url = await freshDatabase()
  const files = [0, 1, 2, 3].map(writeFile)
  const runs = await Promise.all([
    ...files.map((f) => runCrm(['--db', url, 'import', f], home.dir)),
    runCrm(['--db', url, 'query', '--format', 'csv', '--city', 'City3'], home.dir),
    runCrm(['--db', url, 'query', '--format', 'json', '--tag', 'desk1'], home.dir),
  ])
  for (const r of runs) expect(r.exitCode, r.stderr).toBe(0)
  // 0 … 1499: 1,500 different people, however the imports interleaved.
  expect(await queryPg(url, 'select count(*)::int as n, count(distinct email_norm)::int as d from customers')).toEqual([{ n: 1500, d: 1500 }])
  const inserted = runs.slice(0, 4).map((r) => Number(/(\d+) inserted/.exec(r.stderr)![1]))
  const updated = runs.slice(0, 4).map((r) => Number(/(\d+) updated/.exec(r.stderr)![1]))
  expect(inserted.reduce((a, b) => a + b, 0)).toBe(1500)
  expect(updated.reduce((a, b) => a + b, 0)).toBe(900)
  // A person in two files carries both desks' tags.
  expect(await queryPg(url, `select t.name from customer_tags ct join tags t on t.id = ct.tag_id join customers c on c.id = ct.customer_id
    where c.email_norm = 'person450@example.com' order by t.name`)).toEqual([{ name: 'desk0' }, { name: 'desk1' }])
  expect(await queryPg(url, "select count(*)::int as n from audit where action = 'import'")).toEqual([{ n: 4 }])
  expect(await queryPg(url, 'select count(*)::int as n from kysely_migration')).toEqual([{ n: knownMigrations().length }])
})

/** Rows of a CSV file in the test's folder. */
function writeCsv(name: string, header: string, rows: string[]): string {
  const file = join(home.dir, name)
  writeFileSync(file, [header, ...rows].join('\n') + '\n')
  return file
}

test('two imports, merges, an add, contacts, tags, edits and queries at once: constraints kept, nothing lost, every exit 0 or a retryable message', async () => {
  const url = await freshDatabase()
  const env = { CRM_NOW: '2026-11-23T12:00:00.000Z' }
  const crm = (...args: string[]) => runCrm(['--db', url, ...args], home.dir, { env })
  // 600 people (ids 1 … 600) with one purchase each.
  const seed = await crm('import', writeFile(0))
  expect(seed.exitCode, seed.stderr).toBe(0)
  const buys = writeCsv('buys.csv', 'customer_email,purchased_at,amount,currency,product,order_id,line', Array.from({ length: 600 }, (_, i) => `person${i}@example.com,2026-11-01,10.00,EUR,Tea,O-${i},1`))
  expect((await crm('import', buys)).exitCode).toBe(0)

  // People 5 … 599: not merged below (a merge may change a survivor's email, and these files name people by email).
  const more = writeCsv('more.csv', 'customer_email,purchased_at,amount,currency,product,order_id,line', Array.from({ length: 595 }, (_, i) => `person${i + 5}@example.com,2026-11-02,5.00,EUR,Cup,P-${i},1`))
  const calls = writeCsv('calls.csv', 'customer_email,occurred_at,channel,kind,note', Array.from({ length: 300 }, (_, i) => `person${i + 5}@example.com,2026-11-03 10:00,phone,call,n${i}`))
  const runs = await Promise.all([
    crm('import', writeFile(1)), // people 300 … 899: 300 updated, 300 new
    crm('import', writeFile(2)), // people 600 … 1199: 300 updated (or new, whichever runs first), 300 new
    crm('import', more), // a second purchase each for people 5 … 599
    crm('import', calls),
    crm('merge', '1', '2', '--yes'),
    crm('merge', '3', '4', '5', '--yes'),
    crm('add', '--first-name', 'Walk', '--last-name', 'In', '--email', 'walkin@example.com'),
    crm('tag', '1', 'vip'),
    crm('edit', '10', '--city', 'Elsewhere'),
    crm('query', '--format', 'csv', '--spent-gt', '1'),
    crm('query', '--format', 'json', '--tag', 'desk1'),
  ])
  // Writers queue on one advisory lock, so none should fail; if PostgreSQL ever aborted one
  // (deadlock, serialization), it must say so plainly and ask for a retry.
  for (const r of runs) {
    if (r.exitCode !== 0) expect(r.stderr, r.stderr).toMatch(/^crm: .*try again\n$/)
  }
  expect(runs.map((r) => r.exitCode), runs.map((r) => r.stderr).join('')).toEqual(runs.map(() => 0))

  // 1,200 different people + the walk-in, less the three merged away; one row per email.
  expect(await queryPg(url, 'select count(*)::int as n, count(distinct email_norm)::int as d from customers')).toEqual([{ n: 1198, d: 1198 }])
  // Every purchase and contact survived, moved to the survivors where merged.
  expect(await queryPg(url, 'select count(*)::int as n, sum(amount_cents)::int as s from purchases')).toEqual([{ n: 1195, s: 600 * 1000 + 595 * 500 }])
  expect(await queryPg(url, 'select count(*)::int as n from interactions')).toEqual([{ n: 300 }])
  expect(await queryPg(url, `select count(*)::int as n from purchases p left join customers c on c.id = p.customer_id where c.id is null`)).toEqual([{ n: 0 }])
  expect(await queryPg(url, `select customer_id, count(*)::int as n from purchases where customer_id in (1, 3) group by customer_id order by customer_id`)).toEqual([
    { customer_id: 1, n: 2 },
    { customer_id: 3, n: 3 },
  ])
  // The newest record's email wins (a tie goes to the higher id); the others live on as alternates.
  const [survivor] = await queryPg<{ email: string; extra: string }>(url, 'select email, extra from customers where id = 3')
  expect(survivor!.email).toBe('person4@example.com')
  expect(JSON.parse(survivor!.extra).alternate_emails.sort()).toEqual(['person2@example.com', 'person3@example.com'])
  expect(await queryPg(url, "select count(*)::int as n from merges")).toEqual([{ n: 2 }])
  expect(await queryPg(url, "select action, count(*)::int as n from audit group by action order by action")).toEqual([
    { action: 'add', n: 1 },
    { action: 'edit', n: 1 },
    { action: 'import', n: 6 },
    { action: 'merge', n: 2 },
    { action: 'tag', n: 1 },
  ])
  // A person in two files carries both desks' tags; tag links point at live customers only.
  expect(await queryPg(url, `select t.name from customer_tags ct join tags t on t.id = ct.tag_id join customers c on c.id = ct.customer_id
    where c.email_norm = 'person750@example.com' order by t.name`)).toEqual([{ name: 'desk1' }, { name: 'desk2' }])
  expect(await queryPg(url, 'select count(*)::int as n from customer_tags ct left join customers c on c.id = ct.customer_id where c.id is null')).toEqual([{ n: 0 }])
})

test('a deadlock with another PostgreSQL client is detected, and crm merge retries instead of failing or hanging', async () => {
  const url = await freshDatabase()
  const crm = (...args: string[]) => runCrm(['--db', url, ...args], home.dir, { env: { CRM_NOW: '2026-11-23T12:00:00.000Z' } })
  expect((await crm('import', writeFile(0))).exitCode).toBe(0)
  // Another program holds customer 2's row; the merge takes crm's writer lock, then waits for that row.
  const other = new pg.Client({ connectionString: url })
  await other.connect()
  await other.query('begin')
  await other.query('select id from customers where id = 2 for update')
  const merge = crm('merge', '1', '2', '--yes')
  for (let i = 0; ; i++) {
    // From another session: inside a transaction pg_stat_activity would stay the snapshot first seen.
    const [w] = await queryPg<{ n: number }>(url, "select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")
    if (w!.n > 0) break
    if (i > 400) throw new Error('the merge never waited for the locked row')
    await new Promise((r) => setTimeout(r, 50))
  }
  // … and now the other program wants crm's writer lock: a cycle. PostgreSQL aborts one side.
  const outcome = await other.query('select pg_advisory_xact_lock($1)', [0x63726d]).then(() => 'merge aborted', (e: { code?: string }) => e.code)
  await other.query('rollback')
  await other.end()
  const r = await merge
  expect(r.exitCode, r.stderr).toBe(0)
  // The merge waited first, so its deadlock check (after deadlock_timeout) fires first: it is
  // the side PostgreSQL aborts, and it succeeded all the same: writeTransaction retried it.
  expect(outcome).toBe('merge aborted')
  expect(await queryPg(url, 'select count(*)::int as n from customers where id in (1, 2)')).toEqual([{ n: 1 }])
  expect(await queryPg(url, "select count(*)::int as n from merges")).toEqual([{ n: 1 }])
})

test('four desks add the same email at once: one customer, three clear refusals', async () => {
  const url = await freshDatabase()
  // The first open creates the schema; the adds then race only for the customer.
  expect((await runCrm(['--db', url, 'query'], home.dir)).exitCode).toBe(0)
  const runs = await Promise.all(
    [1, 2, 3, 4].map((k) => runCrm(['--db', url, 'add', '--first-name', `Desk${k}`, '--email', 'same@example.com'], home.dir)),
  )
  expect(runs.map((r) => r.exitCode).sort()).toEqual([0, 1, 1, 1])
  for (const r of runs.filter((x) => x.exitCode === 1)) expect(r.stderr).toMatch(/^crm: customer 1 already has the email same@example.com/)
  expect(await queryPg(url, "select id, count(*) over ()::int as n from customers where email_norm = 'same@example.com'")).toEqual([{ id: 1, n: 1 }])
})
