import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
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
