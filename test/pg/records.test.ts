import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { fixture, queryDb, runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase, queryPg } from './pgHelpers.js'

// crm add, crm forget, and the imports of contacts, NPS answers and --dedupe on PostgreSQL.
// Every step runs on PostgreSQL and on SQLite (the expectations of test/cli/records.test.ts,
// privacy.test.ts, npsImport.test.ts and import.test.ts); output and stored rows must agree.

let home: ReturnType<typeof tempHome>
let url: string
beforeEach(async () => {
  home = tempHome()
  url = await freshDatabase()
})
afterEach(() => home.cleanup())

const NOW = '2026-11-23T12:00:00.000Z'
type Row = Record<string, unknown>

/**
 * Rows in a stable order; columns filled by the server's clock (defaults) and the random
 * erasure secret left out. The ids of contacts and answers too: a PostgreSQL sequence
 * does not give back the ids a rolled-back import drew (SQLite's rowid does), so only
 * their order is compared.
 */
const DUMP: Record<string, string> = {
  customers: 'select * from customers order by id',
  purchases: 'select * from purchases order by id',
  interactions: 'select customer_id, occurred_at, channel, kind, note, created_at, updated_at from interactions order by id',
  nps_answers: 'select customer_id, score, comment, answered_at, campaign, created_at, updated_at from nps_answers order by id',
  tags: 'select id, name from tags order by id',
  customer_tags: 'select customer_id, tag_id from customer_tags order by customer_id, tag_id',
  merges: 'select id, survivor_id, merged_ids, snapshot, survivor_updated_at, merged_at, undone_at from merges order by id',
  audit: 'select id, at, action, customer_id, details from audit order by id',
  suppressions: 'select kind, count(*) as n from suppressions group by kind order by kind',
}

async function dumpPg(): Promise<Record<string, Row[]>> {
  const out: Record<string, Row[]> = {}
  // count(*) is bigint: pg's client gives a string, SQLite a number.
  for (const [t, q] of Object.entries(DUMP)) out[t] = await queryPg(url, q.replace('count(*) as n', 'count(*)::int as n'))
  return out
}
function dumpSqlite(): Record<string, Row[]> {
  const out: Record<string, Row[]> = {}
  for (const [t, q] of Object.entries(DUMP)) out[t] = queryDb(home.db, q)
  return out
}

/** Runs one command on both databases; exit code, stdout, stderr and every stored row must agree. */
async function both(args: string[], at = NOW) {
  const env = { CRM_NOW: at }
  const p = await runCrm(['--db', url, ...args], home.dir, { env })
  const s = await runCrm(['--db', home.db, ...args], home.dir, { env })
  const mask = (t: string) => t.replace(/in \d+\.\d\d s/g, 'in <t> s')
  expect({ exitCode: p.exitCode, stdout: p.stdout, stderr: mask(p.stderr) }, args.join(' ')).toEqual({ exitCode: s.exitCode, stdout: s.stdout, stderr: mask(s.stderr) })
  expect(await dumpPg()).toEqual(dumpSqlite())
  return p
}

function file(name: string, text: string): string {
  const f = join(home.dir, name)
  writeFileSync(f, text)
  return f
}

describe('crm add on PostgreSQL', () => {
  test('prints the new id and stores fields, keys, E.164 phone, tags, consent and an audit row', async () => {
    const r = await both(['add', '--first-name', 'Ana', '--last-name', 'Silva', '--email', 'Ana@Example.com', '--phone', '(415) 555-0100',
      '--city', 'San Francisco', '--state', 'CA', '--tag', 'vip', '--tag', 'wholesale', '--consent-email', 'yes'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe('1\n')
    expect(r.stderr).toContain('added customer 1')
    const [c] = await queryPg(url, 'select email_norm, phone_e164, consent_email, consent_email_source from customers')
    expect(c).toEqual({ email_norm: 'ana@example.com', phone_e164: '+14155550100', consent_email: 'granted', consent_email_source: 'crm add' })
    expect(await queryPg(url, "select action, customer_id from audit")).toEqual([{ action: 'add', customer_id: 1 }])
  })

  test('no name in a script, a second customer with the same email, a bad value: refused, nothing written', async () => {
    expect((await both(['add', '--first-name', 'Ana', '--email', 'ana@example.com'])).exitCode).toBe(0)
    const dup = await both(['add', '--first-name', 'Anna', '--email', 'ANA@example.com'])
    expect(dup.exitCode).toBe(1)
    expect(dup.stderr).toMatch(/^crm: customer 1 already has the email ANA@example.com/)
    expect((await both(['add', '--city', 'Paris'])).exitCode).toBe(1)
    expect((await both(['add', '--first-name', 'Bo', '--birth-date', '1990-13-45'])).exitCode).toBe(2)
    const anyway = await both(['add', '--first-name', 'Anna', '--email', 'ana@example.com', '--allow-duplicate'])
    expect(anyway.stdout).toBe('2\n')
    expect(await queryPg(url, 'select count(*)::int as n from customers')).toEqual([{ n: 2 }])
  })
})

describe('crm forget on PostgreSQL', () => {
  /** Ana with an old email, a merged-away duplicate, purchases, a contact, an NPS answer, and Ben. */
  async function anaWithHistory(): Promise<void> {
    const steps = [
      ['add', '--first-name', 'Ana', '--last-name', 'Silva', '--email', 'ana.old@example.com', '--phone', '(415) 555-0100', '--street', '1 Main St',
        '--city', 'Springfield', '--birth-date', '1980-02-03', '--gender', 'f', '--source', 'Flyer', '--tag', 'vip', '--notes', 'allergic to wool'],
      ['edit', '1', '--email', 'ana@example.com'],
      ['add', '--first-name', 'Ben', '--email', 'ben@example.com', '--notes', 'referred by ana@example.com'],
      ['purchase', 'add', '1', '--amount', '100', '--category', 'shoes'],
      ['purchase', 'add', '1', '--amount', '50'],
      ['log', '1', '--channel', 'phone', '--kind', 'complaint', 'Ana said the shoes hurt'],
    ]
    for (const s of steps) expect((await both(s)).exitCode, s.join(' ')).toBe(0)
    const answer = file('answer.csv', 'email,score,date,comment\nana@example.com,9,2026-11-01,Ana loves it\n')
    expect((await both(['import', answer, '--type', 'nps'])).exitCode).toBe(0)
    for (const s of [
      ['add', '--first-name', 'Anna', '--last-name', 'Silva', '--email', 'ana.dup@example.com', '--phone', '+1 415 555 0199', '--street', '9 Elm Rd'],
      ['merge', '1', '3', '--yes'],
    ]) expect((await both(s)).exitCode, s.join(' ')).toBe(0)
  }

  test('without --yes in a script it exits 2 and changes nothing', async () => {
    await anaWithHistory()
    const r = await both(['forget', '1', '--reason', 'request'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('add --yes to confirm')
  })

  test('erases personal data, keeps purchases, scrubs audit rows and merge snapshots, keeps keyed hashes', async () => {
    await anaWithHistory()
    const r = await both(['forget', 'ana.dup@example.com', '--reason', 'asked by email', '--yes'], '2026-11-24T00:00:00.000Z')
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain('erased customer 1: personal data removed; 2 purchases kept anonymously; 3 email and 2 phone hashes on the suppression list')
    const [c] = await queryPg(url, 'select first_name, email, phone_e164, forgotten_at, consent_mail, source from customers where id = 1')
    expect(c).toEqual({ first_name: null, email: null, phone_e164: null, forgotten_at: '2026-11-24T00:00:00.000Z', consent_mail: 'refused', source: 'Flyer' })
    const text = JSON.stringify(await queryPg(url, 'select details from audit')) + JSON.stringify(await queryPg(url, 'select snapshot from merges'))
    for (const v of ['Silva', 'ana@example.com', 'ana.old@example.com', 'ana.dup@example.com', '555-0100', '1 Main St', '9 Elm Rd', 'wool']) expect(text).not.toContain(v)
    expect(await queryPg(url, 'select note from interactions')).toEqual([{ note: null }])
    expect(await queryPg(url, "select count(*)::int as n from settings where key = 'erasure_secret'")).toEqual([{ n: 1 }])
    // An erased person is never merged and not found by dedupe.
    expect((await both(['merge', '1', '2', '--yes'])).stderr).toBe('crm: customer 1 was erased; nothing merged\n')
  })

  test('a later import or add of the same person is reported, not re-created', async () => {
    await anaWithHistory()
    expect((await both(['forget', '1', '--reason', 'asked', '--yes'])).exitCode).toBe(0)
    const again = file('again.csv', 'first_name,last_name,email,phone\nAna,Silva,ANA@example.com,\nAnnie,S,new@example.com,+1 415 555 0100\nCleo,Nova,cleo@example.com,\n')
    const r = await both(['import', again])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('this person asked to be forgotten')
    const add = await both(['add', '--first-name', 'Ana', '--email', 'ana.old@example.com'])
    expect(add.exitCode).toBe(1)
    expect(add.stderr).toMatch(/erased with crm forget/)
    expect((await both(['add', '--first-name', 'Ana', '--email', 'ana.old@example.com', '--allow-forgotten'])).exitCode).toBe(0)
  })
})

describe('crm import of contacts and NPS answers on PostgreSQL', () => {
  test('interactions: type detected from the header; again: nothing new; unknown people rejected', async () => {
    expect((await both(['import', file('people.csv', 'email\nanna@example.com\nbob@example.com\n')])).exitCode).toBe(0)
    const r = await both(['import', fixture('interactions.csv')])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain('(interactions): 2 inserted')
    expect(await queryPg(url, 'select customer_id, channel, kind from interactions order by id')).toEqual([
      { customer_id: 1, channel: 'phone', kind: 'call' },
      { customer_id: 2, channel: 'email', kind: 'complaint' },
    ])
    const again = await both(['import', fixture('interactions.csv')])
    expect(again.stderr).toContain('0 inserted')
    expect((await both(['import', fixture('interactions.csv'), '--on-conflict', 'error'])).exitCode).toBe(1)
    const stranger = await both(['import', file('c.csv', 'customer_email,occurred_at,channel,kind,note\nnobody@example.com,2026-11-02 10:00,phone,call,x\n')])
    expect(stranger.exitCode).toBe(1)
    expect(stranger.stderr).toContain('no customer nobody@example.com (import the customers first)')
  })

  test('NPS answers matched by external id, imported twice, updated, then scored', async () => {
    expect((await both(['import', file('people.csv', 'external_id,first_name\nK-1,Anna\nK-2,Bob\n')])).exitCode).toBe(0)
    const answers = file('answers.csv', 'customer_external_id,score,answered_at,comment,campaign\nK-1,10,2026-11-01,Great,autumn\nK-2,4,2026-11-02,Slow,autumn\nK-1,9,2026-11-20,,winter\n')
    expect((await both(['import', answers, '--type', 'nps'])).exitCode).toBe(0)
    expect((await both(['import', answers, '--type', 'nps'])).stderr).toContain('0 inserted')
    const changed = file('changed.csv', 'customer_external_id,score,answered_at,comment,campaign\nK-2,6,2026-11-02,Better now,autumn\nK-2,6,2026-11-02,Better now,autumn\n')
    expect((await both(['import', changed, '--type', 'nps'])).stderr).toContain('0 inserted, 1 updated, 1 unchanged')
    expect(await queryPg(url, 'select customer_id, score, campaign from nps_answers order by id')).toEqual([
      { customer_id: 1, score: 10, campaign: 'autumn' },
      { customer_id: 2, score: 6, campaign: 'autumn' },
      { customer_id: 1, score: 9, campaign: 'winter' },
    ])
    expect((await both(['nps', '--format', 'ndjson', '--fields', 'n,nps'])).stdout).toBe('{"n":2,"nps":0}\n')
  })

  test('NPS from strangers: refused, or kept anonymously with --keep-unmatched (once)', async () => {
    expect((await both(['import', file('people.csv', 'email\nanna@example.com\nbob@example.com\n')])).exitCode).toBe(0)
    const refused = await both(['import', fixture('nps.csv')])
    expect(refused.exitCode).toBe(1)
    expect(refused.stderr).toContain('--keep-unmatched keeps the answer anonymously')
    expect((await both(['import', fixture('nps.csv'), '--keep-unmatched'])).exitCode).toBe(0)
    expect((await both(['import', fixture('nps.csv'), '--keep-unmatched'])).stderr).toContain('0 inserted')
    expect(await queryPg(url, 'select count(*)::int as n from nps_answers where customer_id is null')).toEqual([{ n: 1 }])
  })
})

describe('crm import --dedupe on PostgreSQL', () => {
  const first = 'first_name,last_name,email,phone,city\nRobert,Smith,rob@example.com,+1 415 555 0134,Boston\nAnna,Lee,anna@example.com,,Paris\n'
  const second = 'first_name,last_name,email,phone,city,job_title\nRob,Smith,bobby@other.example,(415) 555-0134,Boston,Chef\nZed,Nobody,zed@example.com,,Oslo,\n'

  for (const [policy, expected] of [
    ['skip', '1 inserted, 0 updated, 0 unchanged, 1 skipped'],
    ['keep', '2 inserted'],
    ['merge', '1 inserted, 1 updated'],
  ] as const) {
    test(`--on-duplicate ${policy}`, async () => {
      expect((await both(['import', file('first.csv', first)])).exitCode).toBe(0)
      const r = await both(['import', file('second.csv', second), '--dedupe', '--on-duplicate', policy])
      expect(r.exitCode, r.stderr).toBe(0)
      expect(r.stderr).toContain(expected)
      expect(r.stderr).toMatch(/second\.csv:2: looks like customer 1 \(\d+%: same phone/)
    })
  }
})
