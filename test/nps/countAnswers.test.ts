import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { openDb, type CrmDb } from '../../src/db/openDb.js'
import { countedAnswers } from '../../src/nps/group.js'
import { countAnswers, loadAnswers } from '../../src/nps/loadAnswers.js'
import { countScores } from '../../src/nps/score.js'
import { addCustomers } from '../helpers/customerData.js'

let dir: string
let crm: CrmDb
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-nps-'))
  crm = await openDb(join(dir, 'crm.db'))
})
afterEach(async () => {
  await crm.close()
  rmSync(dir, { recursive: true, force: true })
})

test('counting in SQL (window function) agrees with counting the loaded rows, ties and anonymous answers included', async () => {
  const ids = await addCustomers(crm.db, Array.from({ length: 40 }, (_, i) => ({ first_name: `C${i}`, gender: i % 2 ? 'f' : 'm' })))
  let seed = 7
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const values = Array.from({ length: 400 }, () => ({
    customer_id: rnd() < 0.1 ? null : ids[Math.floor(rnd() * ids.length)]!,
    score: Math.floor(rnd() * 11),
    // Few distinct instants, so one customer often has two answers at the same time.
    answered_at: `2026-${String(1 + Math.floor(rnd() * 3)).padStart(2, '0')}-01T00:00:00.000Z`,
    campaign: rnd() < 0.5 ? 'a' : 'b',
  }))
  await crm.db.insertInto('nps_answers').values(values).execute()
  const ctx = { now: new Date('2026-11-23T12:00:00Z'), config: { currency: 'USD', timezone: 'UTC' } }
  const selections = [
    { filter: {}, window: { from: null, to: null, label: '' } },
    { filter: { gender: 'f' as const }, window: { from: '2026-02-01T00:00:00.000Z', to: null, label: '' } },
    { filter: {}, window: { from: null, to: '2026-03-01T00:00:00.000Z', label: '' }, campaign: 'a' },
  ]
  for (const sel of selections) {
    for (const all of [false, true]) {
      const rows = await loadAnswers(crm.db, sel, ctx)
      expect(await countAnswers(crm.db, sel, ctx, all)).toEqual(countScores(countedAnswers(rows, all).map((a) => a.score)))
    }
  }
  const everyone = await countAnswers(crm.db, selections[0]!, ctx, true)
  expect(everyone.promoters + everyone.passives + everyone.detractors).toBe(400)
})
