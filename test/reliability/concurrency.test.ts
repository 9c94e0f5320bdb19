import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

function peopleFile(name: string, from: number, count: number): string {
  const rows = ['external_id,first_name,email']
  for (let i = from; i < from + count; i++) rows.push(`C${i},Person ${i},c${i}@example.com`)
  const path = join(home.dir, name)
  writeFileSync(path, rows.join('\n') + '\n')
  return path
}

// test/cli/database.test.ts runs two imports at once; here readers run alongside them, and
// every count a reader sees must be a committed state: 0, A, B or A+B, never a half import.
test('two imports and a query loop at once: nobody sees "database is locked", nothing lost, doubled or half-seen', { timeout: 180_000 }, async () => {
  const A = 15000
  const B = 12000
  await runCrm(['--db', home.db, 'import', peopleFile('seed.csv', 0, 0)], home.dir)
  const imports = Promise.all([
    runCrm(['--db', home.db, 'import', peopleFile('a.csv', 0, A)], home.dir),
    runCrm(['--db', home.db, 'import', peopleFile('b.csv', 100000, B)], home.dir),
  ])
  let done = false
  void imports.finally(() => (done = true))
  const seen: number[] = []
  const errors: string[] = []
  while (!done) {
    const q = await runCrm(['--db', home.db, 'query', '--count'], home.dir)
    if (q.exitCode !== 0) errors.push(q.stderr)
    else seen.push(Number(q.stdout.trim()))
  }
  const [ra, rb] = await imports
  expect(ra.exitCode, ra.stderr).toBe(0)
  expect(rb.exitCode, rb.stderr).toBe(0)
  expect(errors).toEqual([])
  expect(seen.length).toBeGreaterThan(0)
  for (const n of seen) expect([0, A, B, A + B]).toContain(n)
  expect(queryDb(home.db, 'select count(*) as n, count(distinct external_id) as d from customers')).toEqual([{ n: A + B, d: A + B }])
})
