import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { openDb } from '../../src/db/openDb.js'
import { addCustomers, addPurchases, tagCustomer } from '../helpers/customerData.js'
import { BIN, queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

const NOW = '2026-11-23T12:00:00Z'
const crm = (...args: string[]) => runCrm(['--db', home.db, ...args], home.dir, { env: { CRM_NOW: NOW } })
const json = (stdout: string) => JSON.parse(stdout) as Array<Record<string, unknown>>
const z = 1.959964
/** The Rocks interval by hand, in points, clipped to ±100. */
const rocks = (P: number, A: number, D: number) => {
  const n = P + A + D
  const p = P / n
  const d = D / n
  const half = z * Math.sqrt((p + d - (p - d) ** 2) / n) * 100
  return [Math.max(-100, (p - d) * 100 - half), Math.min(100, (p - d) * 100 + half)].map((x) => Math.round(x * 10) / 10)
}

/**
 * Six answers by five customers and one anonymous person:
 *   Anna f CA web vip   3 (Sep, summer) then 10 (Nov, autumn)
 *   Bea  f CA friend    6 (Nov 5), contacted before she answered, bought a mug
 *   Carl m CA web       2 (Nov 1), called back on Nov 2
 *   Dora f NY friend    8 (Oct 15, summer)
 *   Eve  f CA           0 (Nov 15), refuses phone calls
 *   anonymous           9 (Nov 20)
 */
async function arrange(): Promise<void> {
  const { db, close } = await openDb(home.db)
  try {
    const [anna, bea, carl, dora, eve] = await addCustomers(db, [
      { first_name: 'Anna', email: 'anna@example.com', gender: 'f', region: 'CA', source: 'web', phone: '+1 415 555 0101' },
      { first_name: 'Bea', email: 'bea@example.com', gender: 'f', region: 'CA', source: 'friend', phone: '(415) 555-0102', external_id: 'K-2' },
      { first_name: 'Carl', email: 'carl@example.com', gender: 'm', region: 'CA', source: 'Web', phone: '(415) 555-0103' },
      { first_name: 'Dora', email: 'dora@example.com', gender: 'f', region: 'NY', source: 'friend' },
      { first_name: 'Eve', email: 'eve@example.com', gender: 'f', region: 'ca', phone: '(415) 555-0105', consent_phone: 'refused' },
    ])
    await tagCustomer(db, anna!, 'vip')
    const answer = (customer_id: number | null, score: number, answered_at: string, campaign: string, comment: string | null = null) => ({
      customer_id, score, answered_at, campaign, comment,
    })
    await db
      .insertInto('nps_answers')
      .values([
        answer(anna!, 3, '2026-09-10T15:00:00.000Z', 'summer'),
        answer(anna!, 10, '2026-11-10T15:00:00.000Z', 'autumn', 'Love it'),
        answer(bea!, 6, '2026-11-05T15:00:00.000Z', 'autumn', 'Late delivery'),
        answer(carl!, 2, '2026-11-01T15:00:00.000Z', 'autumn', 'Broken lid'),
        answer(dora!, 8, '2026-10-15T15:00:00.000Z', 'summer'),
        answer(eve!, 0, '2026-11-15T15:00:00.000Z', 'autumn', '=HYPERLINK("http://x")'),
        answer(null, 9, '2026-11-20T15:00:00.000Z', 'autumn'),
      ])
      .execute()
    await db
      .insertInto('interactions')
      .values([
        { customer_id: bea!, occurred_at: '2026-10-20T10:00:00.000Z', channel: 'email', kind: 'question' },
        { customer_id: carl!, occurred_at: '2026-11-02T10:00:00.000Z', channel: 'phone', kind: 'call' },
      ])
      .execute()
    await addPurchases(db, [
      { customer_id: bea!, purchased_at: '2026-10-01T10:00:00.000Z', product: 'Teapot', amount_cents: 2500 },
      { customer_id: bea!, purchased_at: '2026-11-01T10:00:00.000Z', product: 'Mug', amount_cents: 1200 },
      { customer_id: bea!, purchased_at: '2026-11-03T10:00:00.000Z', product: 'Mug', amount_cents: -1200 },
    ])
  } finally {
    await close()
  }
}

describe('crm nps', () => {
  test("the score of everyone's latest answer, anonymous answers included", async () => {
    await arrange()
    const r = await crm('nps', '--format', 'json')
    expect(r.exitCode, r.stderr).toBe(0)
    // Latest answers: Anna 10, Bea 6, Carl 2, Dora 8, Eve 0, anonymous 9 → P 2, A 1, D 3 of 6.
    const [low, high] = rocks(2, 1, 3)
    expect(json(r.stdout)).toEqual([
      { n: 6, promoters: 2, passives: 1, detractors: 3, promoters_pct: 33.3, passives_pct: 16.7, detractors_pct: 50, nps: -16.7, low, high },
    ])
    // By hand: Var = 1/3 + 1/2 − (1/6)² = 0.805556; 1.96 × √(0.805556/6) = 0.718157 → −16.67 ± 71.82 = [−88.5, +55.1].
    expect([low, high]).toEqual([-88.5, 55.1])
    expect(r.stderr).toBe('crm: warning: only 6 answers: too few for the score to mean much (95% interval −88.5 to +55.1; --adjusted is fairer for small n); 30 or more make it steadier\n')
  })

  test('the filter combination: --gender f --state CA (anonymous answers drop out)', async () => {
    await arrange()
    const r = await crm('nps', '--gender', 'f', '--state', 'CA', '--format', 'json')
    expect(r.exitCode, r.stderr).toBe(0)
    // Anna 10, Bea 6, Eve 0 (region "ca" folds to CA) → P 1, D 2 of 3: (1 − 2)/3 = −33.3.
    expect(json(r.stdout)).toEqual([
      { n: 3, promoters: 1, passives: 0, detractors: 2, promoters_pct: 33.3, passives_pct: 0, detractors_pct: 66.7, nps: -33.3, low: -100, high: 73.4 },
    ])
    expect(rocks(1, 0, 2)).toEqual([-100, 73.4])
    // Adjusted Wald by hand: P 1.75, A 1.5, D 2.75 of 6 → −0.166667; Var = 0.75 − 0.027778 = 0.722222;
    // 1.96 × √(0.722222/6) = 0.679992 → [−84.7, +51.3].
    const adj = await crm('nps', '--gender', 'f', '--state', 'CA', '--adjusted', '--format', 'ndjson')
    expect(adj.exitCode, adj.stderr).toBe(0)
    expect(JSON.parse(adj.stdout)).toMatchObject({ n: 3, nps: -33.3, low: -84.7, high: 51.3 })
  })

  test('--all-answers, --answered-days, --answered-since/--answered-until and --campaign choose the answers', async () => {
    await arrange()
    const row = async (...args: string[]) => {
      const r = await crm('nps', '--format', 'json', ...args)
      expect(r.exitCode, r.stderr).toBe(0)
      return json(r.stdout)[0]
    }
    // Anna's earlier 3 counts too: P 2, A 1, D 4 of 7.
    expect(await row('--all-answers')).toMatchObject({ n: 7, detractors: 4, nps: -28.6 })
    // From local midnight 30 days back (2026-10-24): Dora's October 8 drops out.
    expect(await row('--answered-days', '30')).toMatchObject({ n: 5, promoters: 2, passives: 0, detractors: 3, nps: -20 })
    expect(await row('--answered-since', '2026-09-01', '--answered-until', '2026-10-31')).toMatchObject({ n: 2, promoters: 0, passives: 1, detractors: 1, nps: -50 })
    // Within the summer campaign Anna's latest answer is her 3.
    expect(await row('--campaign', 'summer')).toMatchObject({ n: 2, passives: 1, detractors: 1, nps: -50 })
  })

  test('--by month: one row per month in time order, empty months included, latest answer per customer per month', async () => {
    await arrange()
    const r = await crm('nps', '--by', 'month', '--answered-since', '2026-08-01', '--format', 'csv', '--fields', 'month,n,nps,low,high')
    expect(r.exitCode, r.stderr).toBe(0)
    const [low, high] = rocks(2, 0, 3)
    expect(r.stdout).toBe(['month,n,nps,low,high', '2026-08,0,,,', '2026-09,1,-100,-100,-100', '2026-10,1,0,0,0', `2026-11,5,-20,${low},${high}`, ''].join('\n'))
    expect(r.stderr).toContain('crm: warning: 3 of 4 month groups have fewer than 30 answers, too few for their scores to mean much: 2026-09 (n = 1), 2026-10 (n = 1), 2026-11 (n = 5)')
    const compared = await crm('nps', '--by', 'month', '--answered-since', '2026-08-01', '--compare', 'previous', '--format', 'csv', '--fields', 'month,vs,verdict')
    expect(compared.stdout.split('\n').slice(0, 3)).toEqual(['month,vs,verdict', '2026-08,,', '2026-09,2026-08,no comparison: 2026-08 has no answers'])
  })

  test('--by quarter and year follow the configured time zone over the year end', async () => {
    const { db, close } = await openDb(home.db)
    const [c] = await addCustomers(db, [{ first_name: 'Yuki' }])
    // 22:00 on New Year's Eve in New York, already 2027 in UTC.
    await db.insertInto('nps_answers').values({ customer_id: c!, score: 10, answered_at: '2027-01-01T03:00:00.000Z' }).execute()
    await close()
    const utc = await crm('nps', '--by', 'year', '--format', 'csv', '--fields', 'year,n')
    expect(utc.stdout).toBe('year,n\n2027,1\n')
    expect((await crm('config', 'set', 'timezone', 'America/New_York')).exitCode).toBe(0)
    const ny = await runCrm(['--db', home.db, 'nps', '--by', 'quarter', '--format', 'csv', '--fields', 'quarter,n'], home.dir, { env: { CRM_NOW: '2027-01-02T12:00:00Z' } })
    expect(ny.stdout).toBe('quarter,n\n2026-Q4,1\n')
  })

  test('--by source groups spellings together; --by tag and --by campaign', async () => {
    await arrange()
    const by = async (group: string) => {
      const r = await crm('nps', '--by', group, '--format', 'csv', '--fields', `${group},n,nps`)
      expect(r.exitCode, r.stderr).toBe(0)
      return r.stdout
    }
    // web: Anna 10 + Carl 2 ("Web"); friend: Bea 6 + Dora 8; none: Eve 0 + anonymous 9.
    expect(await by('source')).toBe('source,n,nps\nfriend,2,-50\nweb,2,0\n(none),2,0\n')
    expect(await by('tag')).toBe('tag,n,nps\n(none),5,-40\nvip,1,100\n'.replace('(none),5,-40\nvip,1,100\n', 'vip,1,100\n(none),5,-40\n'))
    expect(await by('campaign')).toBe('campaign,n,nps\nautumn,5,-20\nsummer,2,-50\n')
    expect(await by('gender')).toBe('gender,n,nps\nf,4,-25\n(none),1,100\nm,1,-100\n'.replace('(none),1,100\nm,1,-100\n', 'm,1,-100\n(none),1,100\n'))
  })

  test('on a terminal, --by month draws the trend under the table (util-linux script gives crm a terminal)', async () => {
    await arrange()
    const r = spawnSync('script', ['-qec', `${process.execPath} ${BIN} --db ${home.db} nps --by month`, '/dev/null'], {
      cwd: home.dir,
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: home.dir, XDG_CONFIG_HOME: join(home.dir, 'config'), TZ: 'UTC', CRM_NOW: NOW, COLUMNS: '100' },
    })
    expect(r.status, r.stdout).toBe(0)
    const out = r.stdout.replace(/\r/g, '')
    expect(out).toMatch(/^month\s+n\s+promoters/m)
    // September −100 (one 3), October 0 (one 8), November −20: bars of 20, 0 and 4 cells on the left.
    expect(out).toContain(`2026-09  ${'█'.repeat(20)}│${' '.repeat(20)}    −100  n=1`)
    expect(out).toContain(`2026-11  ${' '.repeat(16)}████│${' '.repeat(20)}     −20  n=5`)
    expect(out).toContain('trend ▁▅▄  (−100 → −20)')
    // Piped, the same command writes CSV and no chart.
    const piped = await crm('nps', '--by', 'month')
    expect(piped.stdout).not.toContain('trend')
  })

  test('--compare previous: this window against the one before, with a verdict', async () => {
    await arrange()
    const r = await crm('nps', '--answered-days', '30', '--compare', 'previous', '--format', 'json')
    expect(r.exitCode, r.stderr).toBe(0)
    const [before, after] = json(r.stdout)
    expect(before).toMatchObject({ window: '2026-09-24..2026-10-23', n: 1, nps: 0, vs: null, verdict: null })
    // Before is Dora's 8 alone (plain Var 0), so the test uses the adjusted-Wald counts:
    // before (0.75, 2.5, 0.75)/4 → 0, Var 0.375; after (2.75, 1.5, 3.75)/8 → −0.125, Var 0.8125 − 0.015625 = 0.796875;
    // SE = √(0.375/4 + 0.796875/8) = 0.439726 → 43.97 points; z = −12.5/43.97 = −0.284; −12.5 ± 86.18.
    expect(after).toMatchObject({ window: '2026-10-24..2026-11-23', n: 5, nps: -20, vs: '2026-09-24..2026-10-23', diff: -20, z: -0.28 })
    expect(after!.verdict).toBe('fell from 0 to −20 (−20 points, 95% interval −98.7 to +73.7): not significant at n = 6 (1 + 5)')
  })

  test('--compare previous --by month: a real change is called significant', async () => {
    const { db, close } = await openDb(home.db)
    const ids = await addCustomers(db, Array.from({ length: 80 }, (_, i) => ({ first_name: `C${i}` })))
    // October: 30 promoters, 5 passives, 5 detractors (+62.5); November: 10, 10, 20 (−25).
    const oct = [...Array(30).fill(10), ...Array(5).fill(7), ...Array(5).fill(3)]
    const nov = [...Array(10).fill(9), ...Array(10).fill(8), ...Array(20).fill(0)]
    await db
      .insertInto('nps_answers')
      .values([
        ...oct.map((score, i) => ({ customer_id: ids[i]!, score, answered_at: '2026-10-10T12:00:00.000Z' })),
        ...nov.map((score, i) => ({ customer_id: ids[40 + i]!, score, answered_at: '2026-11-10T12:00:00.000Z' })),
      ])
      .execute()
    await close()
    const r = await crm('nps', '--by', 'month', '--compare', 'previous', '--format', 'json')
    expect(r.exitCode, r.stderr).toBe(0)
    const [octRow, novRow] = json(r.stdout)
    expect(octRow).toMatchObject({ month: '2026-10', n: 40, nps: 62.5, verdict: null })
    // Var Oct = 0.875 − 0.390625 = 0.484375; Var Nov = 0.75 − 0.0625 = 0.6875;
    // SE = √((0.484375 + 0.6875)/40) = 0.171142 → 17.11 points; z = −87.5/17.11 = −5.11.
    expect(novRow).toMatchObject({ month: '2026-11', n: 40, nps: -25, vs: '2026-10', diff: -87.5, z: -5.11 })
    expect(novRow!.verdict).toBe('fell from +62.5 to −25 (−87.5 points, 95% interval −121 to −54): significant at n = 80 (40 + 40), p = < 0.001')
    expect(r.stderr).toBe('')
  })

  test('--compare rest: the filtered customers against everyone else', async () => {
    await arrange()
    const r = await crm('nps', '--gender', 'f', '--state', 'CA', '--compare', 'rest', '--format', 'json')
    expect(r.exitCode, r.stderr).toBe(0)
    // Rest: Carl 2, Dora 8, anonymous 9 → P 1, A 1, D 1 → 0.
    const [row] = json(r.stdout)
    expect(row).toMatchObject({ n: 3, nps: -33.3, vs: 'rest', diff: -33.3 })
    expect(row!.verdict).toMatch(/^lower than the rest: −33\.3 against 0 \(−33\.3 points, .*\): not significant at n = 6 \(3 \+ 3\)$/)
  })

  test('--by source|campaign --compare rest: each segment against all other answers', async () => {
    await arrange()
    const rest = async (by: string) => {
      const r = await crm('nps', '--by', by, '--compare', 'rest', '--format', 'csv', '--fields', `${by},n,nps,diff`)
      expect(r.exitCode, r.stderr).toBe(0)
      return r.stdout
    }
    // friend (−50) against Anna 10, Carl 2, Eve 0, anonymous 9 (0); web (0) against Bea 6, Dora 8, Eve 0, anonymous 9 (−25);
    // (none) (0) against Anna, Carl, Bea, Dora (−25).
    expect(await rest('source')).toBe('source,n,nps,diff\nfriend,2,-50,-50\nweb,2,0,25\n(none),2,0,25\n')
    // A customer answers several campaigns: the rest of "summer" is the autumn answers (−20), not everyone minus summer.
    expect(await rest('campaign')).toBe('campaign,n,nps,diff\nautumn,5,-20,30\nsummer,2,-50,-30\n')
  })

  test('a table on stdout with the rule behind it on stderr; no answers is a warning, not an error', async () => {
    const empty = await crm('nps', '--format', 'table')
    expect(empty.exitCode, empty.stderr).toBe(0)
    expect(empty.stdout.split('\n')[0]).toMatch(/^n\s+promoters\s+passives\s+detractors\s+nps\s+low\s+high$/)
    expect(empty.stderr).toBe("NPS of answers of all time; each customer's latest answer counts\ncrm: warning: no answers at all: there is no score\n")
    const quiet = await crm('--quiet', 'nps', '--campaign', 'nothing')
    expect(quiet.stderr).toBe('')
    expect(quiet.stdout).toBe('n,promoters,passives,detractors,promoters_pct,passives_pct,detractors_pct,nps,low,high\n0,0,0,0,,,,,,\n')
  })

  test.each([
    [['--by', 'weekday'], "argument 'weekday' is invalid"],
    [['--answered-days', '30', '--answered-since', '2026-01-01'], '--answered-days cannot be combined with --answered-since/--answered-until'],
    [['--answered-since', '2026-13-01'], '--answered-since: "2026-13-01" is not a date (use YYYY-MM-DD)'],
    [['--answered-days', 'many'], '--answered-days: "many" is not a whole number'],
    [['--compare', 'rest'], '--compare rest needs a segment'],
    [['--compare', 'previous'], '--compare previous needs a window with a start'],
    [['--compare', 'previous', '--by', 'source', '--answered-days', '9'], '--compare previous compares periods'],
    [['--fields', 'n,bogus'], 'unknown field "bogus"'],
  ])('usage error: nps %j', async (args, message) => {
    const r = await crm('nps', ...args)
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain(message)
    expect(r.stdout).toBe('')
  })
})

describe('crm nps add', () => {
  test('records an answer by email, id or external id; prints the id', async () => {
    await arrange()
    const r = await crm('nps', 'add', 'ANNA@example.com', '9', '--comment', 'Quick delivery', '--campaign', 'winter')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('8\n')
    expect(r.stderr).toBe('recorded answer 8: Anna (1) gave 9, a promoter, on 2026-11-23\n')
    expect((await crm('nps', 'add', '4', '0', '--date', '2026-11-02')).stdout).toBe('9\n')
    expect((await crm('nps', 'add', 'K-2', '7', '--date', '2026-11-21T09:30:00+01:00')).exitCode).toBe(0)
    expect(queryDb(home.db, 'select customer_id, score, comment, campaign, answered_at from nps_answers where id >= 8 order by id')).toEqual([
      { customer_id: 1, score: 9, comment: 'Quick delivery', campaign: 'winter', answered_at: '2026-11-23T12:00:00.000Z' },
      { customer_id: 4, score: 0, comment: null, campaign: null, answered_at: '2026-11-02T00:00:00.000Z' },
      { customer_id: 2, score: 7, comment: null, campaign: null, answered_at: '2026-11-21T08:30:00.000Z' },
    ])
  })

  test('--date YYYY-MM-DD is local midnight in the configured time zone', async () => {
    await arrange()
    await crm('config', 'set', 'timezone', 'America/New_York')
    expect((await crm('nps', 'add', 'dora@example.com', '10', '--date', '2026-11-02')).exitCode).toBe(0)
    expect(queryDb(home.db, 'select answered_at from nps_answers order by id desc limit 1')).toEqual([{ answered_at: '2026-11-02T05:00:00.000Z' }])
  })

  test.each(['11', '7.5', '-1', 'ten', '', '010'])('score %j is a usage error and nothing is written', async (score) => {
    await arrange()
    const r = await crm('nps', 'add', 'anna@example.com', score)
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toBe(`crm: score: "${score}" is not an NPS score (a whole number from 0 to 10)\n`)
    expect(queryDb(home.db, 'select count(*) as n from nps_answers')).toEqual([{ n: 7 }])
  })

  test('an unknown customer, a future or unreadable date', async () => {
    await arrange()
    const unknown = await crm('nps', 'add', 'nobody@example.com', '5')
    expect(unknown.exitCode).toBe(1)
    expect(unknown.stderr).toBe('crm: no customer "nobody@example.com" (give an id, an email or an external id)\n')
    const future = await crm('nps', 'add', '1', '5', '--date', '2026-12-01')
    expect(future.exitCode).toBe(2)
    expect(future.stderr).toBe('crm: --date: 2026-12-01 is in the future\n')
    const bad = await crm('nps', 'add', '1', '5', '--date', '11/02/2026')
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toContain('--date: "11/02/2026" is not a date')
    expect(queryDb(home.db, 'select count(*) as n from nps_answers')).toEqual([{ n: 7 }])
  })
})

describe('crm nps detractors', () => {
  test('who to call back: latest answer 0–6, not contacted since, with comment, last purchase and phone', async () => {
    await arrange()
    const r = await crm('nps', 'detractors', '--format', 'json')
    expect(r.exitCode, r.stderr).toBe(0)
    // Anna's 3 was followed by a 10; Carl was called the day after; the anonymous 9 is no detractor.
    expect(json(r.stdout)).toEqual([
      {
        id: 5, first_name: 'Eve', last_name: null, phone: null, email: 'eve@example.com', score: 0, answered_at: '2026-11-15T15:00:00.000Z',
        campaign: 'autumn', comment: '=HYPERLINK("http://x")', last_purchase_at: null, last_product: null, last_amount_cents: null,
        last_currency: null, consent_phone: 'refused',
      },
      {
        id: 2, first_name: 'Bea', last_name: null, phone: '(415) 555-0102', email: 'bea@example.com', score: 6, answered_at: '2026-11-05T15:00:00.000Z',
        campaign: 'autumn', comment: 'Late delivery', last_purchase_at: '2026-11-01T10:00:00.000Z', last_product: 'Mug', last_amount_cents: 1200,
        last_currency: 'USD', consent_phone: 'unknown',
      },
    ])
    expect(r.stderr).toBe('2 detractors to call back\n1 refused phone contact: listed without a phone number\n')
  })

  test('a contact logged with crm log after the answer takes the customer off the list', async () => {
    await arrange()
    const log = await crm('log', 'bea@example.com', '--channel', 'phone', '--kind', 'call', 'Called back about the late delivery')
    expect(log.exitCode, log.stderr).toBe(0)
    const r = await crm('nps', 'detractors', '--fields', 'id,first_name')
    expect(r.stdout).toBe('id,first_name\n5,Eve\n')
  })

  test('window, filters and CSV neutralising', async () => {
    await arrange()
    const recent = await crm('nps', 'detractors', '--answered-days', '10', '--fields', 'id,score,comment')
    expect(recent.exitCode, recent.stderr).toBe(0)
    expect(recent.stdout).toBe(`id,score,comment\n5,0,"'=HYPERLINK(""http://x"")"\n`)
    expect(recent.stderr).toBe('1 detractor to call back (answers 2026-11-13..2026-11-23)\n1 refused phone contact: listed without a phone number\n')
    const men = await crm('nps', 'detractors', '--gender', 'm', '--fields', 'id')
    expect(men.stdout).toBe('id\n')
    expect(men.stderr).toBe('0 detractors to call back\n')
    const filtered = await crm('nps', 'detractors', '--source', 'friend', '--campaign', 'autumn', '--fields', 'id')
    expect(filtered.stdout).toBe('id\n2\n')
  })
})
