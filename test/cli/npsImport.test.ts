import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

const crm = (...args: string[]) => runCrm(['--db', home.db, ...args], home.dir, { env: { CRM_NOW: '2026-11-23T12:00:00Z' } })

// test/cli/import.test.ts covers matching by email, unknown people and bad scores; this adds
// matching by external id, a re-import that changes nothing, and the score of what came in.
test('NPS answers matched by external id, imported twice, then scored', async () => {
  const people = join(home.dir, 'people.csv')
  writeFileSync(people, 'external_id,first_name\nK-1,Anna\nK-2,Bob\n')
  expect((await crm('import', people)).exitCode).toBe(0)
  const answers = join(home.dir, 'answers.csv')
  writeFileSync(answers, 'customer_external_id,score,answered_at,comment,campaign\nK-1,10,2026-11-01,Great,autumn\nK-2,4,2026-11-02,Slow,autumn\nK-1,9,2026-11-20,,winter\n')
  const first = await crm('import', answers, '--type', 'nps')
  expect(first.exitCode, first.stderr).toBe(0)
  const again = await crm('import', answers, '--type', 'nps')
  expect(again.exitCode, again.stderr).toBe(0)
  expect(again.stderr).toContain('0 inserted')
  expect(queryDb(home.db, 'select customer_id, score, campaign from nps_answers order by id')).toEqual([
    { customer_id: 1, score: 10, campaign: 'autumn' },
    { customer_id: 2, score: 4, campaign: 'autumn' },
    { customer_id: 1, score: 9, campaign: 'winter' },
  ])
  // Latest per customer: Anna's 9 and Bob's 4 → (1 − 1)/2 = 0; every answer: (2 − 1)/3 = +33.3.
  const latest = await crm('nps', '--format', 'ndjson', '--fields', 'n,nps')
  expect(latest.stdout).toBe('{"n":2,"nps":0}\n')
  const all = await crm('nps', '--all-answers', '--format', 'ndjson', '--fields', 'n,nps')
  expect(all.stdout).toBe('{"n":3,"nps":33.3}\n')
})
