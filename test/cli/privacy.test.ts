import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
const NOW = '2026-11-23T12:00:00.000Z'
const crm = (args: string[], env: Record<string, string> = {}) => runCrm([...args, '--db', home.db], home.dir, { env: { CRM_NOW: NOW, ...env } })
const one = <T = Record<string, unknown>>(sql: string, ...p: unknown[]) => queryDb<T>(home.db, sql, ...p)[0]!

beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

async function anaWithHistory(): Promise<void> {
  const steps = [
    ['add', '--first-name', 'Ana', '--last-name', 'Silva', '--email', 'ana.old@example.com', '--phone', '(415) 555-0100', '--street', '1 Main St',
      '--city', 'Springfield', '--birth-date', '1980-02-03', '--gender', 'f', '--source', 'Flyer', '--tag', 'vip', '--notes', 'allergic to wool'],
    ['edit', '1', '--email', 'ana@example.com'],
    ['add', '--first-name', 'Ben', '--email', 'ben@example.com'],
    ['purchase', 'add', '1', '--amount', '100', '--category', 'shoes'],
    ['purchase', 'add', '1', '--amount', '50'],
    ['log', '1', '--channel', 'phone', '--kind', 'complaint', 'Ana said the shoes hurt'],
  ]
  for (const s of steps) {
    const r = await crm(s)
    expect(r.exitCode, `${s.join(' ')}: ${r.stderr}`).toBe(0)
  }
  const dup = await crm(['add', '--first-name', 'Anna', '--last-name', 'Silva', '--email', 'ana.dup@example.com', '--phone', '+1 415 555 0199', '--street', '9 Elm Rd'])
  expect(dup.stdout).toBe('3\n')
  const raw = new BetterSqlite3(home.db)
  // What crm dedupe's merge leaves (its migration 0003): customer 3 merged into 1, the rows as they were.
  raw.exec(`create table if not exists merges (id integer primary key autoincrement, survivor_id integer not null, merged_ids text not null,
    snapshot text not null, survivor_updated_at text not null, merged_at text not null, undone_at text, created_at text, updated_at text)`)
  const rows = raw.prepare('select * from customers where id in (1, 3) order by id').all()
  raw.prepare("insert into merges (survivor_id, merged_ids, snapshot, survivor_updated_at, merged_at) values (1, '[3]', ?, ?, ?)").run(
    JSON.stringify({ customers: rows, moved: [{ table: 'purchases', id: 1, customer_id: 1 }], tagLinks: [], addedTags: [] }), NOW, NOW,
  )
  raw.prepare('delete from customers where id = 3').run()
  raw.prepare("insert into audit (at, action, customer_id, details) values (?, 'merge', 1, ?)").run(NOW, JSON.stringify({ merge_id: 1, merged_ids: [3], moved: 0 }))
  // Ben's own history mentions Ana's email, and a city they share.
  raw.prepare("insert into audit (at, action, customer_id, details) values (?, 'edit', 2, ?)").run(
    NOW, JSON.stringify({ changes: { notes: { from: null, to: 'referred by ana@example.com' }, city: { from: null, to: 'Springfield' }, first_name: { from: 'Benjamin', to: 'Ben' } } }),
  )
  raw.prepare("insert into nps_answers (customer_id, score, comment, answered_at) values (1, 9, 'Ana loves it', ?)").run(NOW)
  raw.close()
}

describe('crm forget', () => {
  test('without --yes in a script it exits 2 and changes nothing', async () => {
    await anaWithHistory()
    const r = await crm(['forget', '1', '--reason', 'request'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('add --yes to confirm')
    expect(one('select first_name, forgotten_at from customers where id = 1')).toEqual({ first_name: 'Ana', forgotten_at: null })
    expect(one<{ n: number }>('select count(*) n from suppressions').n).toBe(0)
  })

  test('works on a database without crm dedupe\'s tables, with nothing to scrub but the record', async () => {
    expect((await crm(['add', '--first-name', 'Ana', '--email', 'ana@example.com'])).exitCode).toBe(0)
    const r = await crm(['forget', '1', '--reason', 'asked', '--yes'])
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain('1 email and 0 phone hashes on the suppression list; 0 audit rows and 0 merge records scrubbed')
    expect(one('select first_name, email, forgotten_at from customers')).toEqual({ first_name: null, email: null, forgotten_at: NOW })
  })

  test('--reason is required', async () => {
    await anaWithHistory()
    const r = await crm(['forget', '1', '--yes'])
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain("required option '--reason <text>'")
  })

  test('erases personal data, keeps purchases as anonymous totals, scrubs audit rows, keeps keyed hashes, says backups remain', async () => {
    await anaWithHistory()
    const totalBefore = one('select count(*) n, sum(amount_cents) s from purchases')
    const r = await crm(['forget', 'ana@example.com', '--reason', 'asked by email', '--yes'], { CRM_NOW: '2026-11-24T00:00:00.000Z' })
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain('erased customer 1: personal data removed; 2 purchases kept anonymously; 3 email and 2 phone hashes on the suppression list')
    expect(r.stderr).toContain('backups made before now still hold')
    const c = one('select * from customers where id = 1')
    for (const col of ['first_name', 'last_name', 'email', 'email_norm', 'phone', 'phone_e164', 'street', 'city', 'birth_date', 'gender', 'notes', 'search_key', 'city_key']) {
      expect(c[col], col).toBeNull()
    }
    expect(c).toMatchObject({ source: 'Flyer', forgotten_at: '2026-11-24T00:00:00.000Z', updated_at: '2026-11-24T00:00:00.000Z', consent_email: 'refused', consent_mail: 'refused' })
    expect(one('select count(*) n, sum(amount_cents) s from purchases')).toEqual(totalBefore)
    expect(one('select note from interactions')).toEqual({ note: null })
    expect(one('select score, comment from nps_answers')).toEqual({ score: 9, comment: null })
    expect(one<{ n: number }>('select count(*) n from customer_tags where customer_id = 1').n).toBe(0)
    // No trace of the person in any audit row or merge snapshot; other people's history stays.
    const audit = queryDb<{ action: string; customer_id: number; details: string }>(home.db, 'select action, customer_id, details from audit order by id')
    const all = audit.map((a) => a.details).join('\n') + queryDb<{ snapshot: string }>(home.db, 'select snapshot from merges')[0]!.snapshot
    for (const v of ['Ana', 'Anna', 'Silva', 'ana@example.com', 'ana.old@example.com', 'ana.dup@example.com', '555-0100', '5550199', '1 Main St', '9 Elm Rd', 'wool']) {
      expect(all).not.toContain(v)
    }
    const ben = JSON.parse(audit.find((a) => a.customer_id === 2 && a.action === 'edit')!.details)
    expect(ben).toEqual({ changes: { notes: { from: null, to: '[erased]' }, city: { from: null, to: 'Springfield' }, first_name: { from: 'Benjamin', to: 'Ben' } } })
    const snapshot = JSON.parse(queryDb<{ snapshot: string }>(home.db, 'select snapshot from merges')[0]!.snapshot)
    expect(snapshot.customers.map((c: { id: number; email: null; source: string }) => [c.id, c.email, c.source])).toEqual([[1, null, 'Flyer'], [3, null, null]])
    expect(snapshot.moved).toEqual([{ table: 'purchases', id: 1, customer_id: 1 }])
    const forget = JSON.parse(audit.find((a) => a.action === 'forget')!.details)
    expect(forget).toMatchObject({ reason: 'asked by email', purchasesKept: 2 })
    // Only keyed hashes: the secret is in settings, and no hash is the plain SHA-256 of the email.
    const secret = one<{ value: string }>("select value from settings where key = 'erasure_secret'").value
    expect(secret).toMatch(/^[0-9a-f]{64}$/)
    const hashes = queryDb<{ kind: string; hash: string }>(home.db, 'select kind, hash from suppressions order by kind')
    expect(hashes.map((h) => h.kind)).toEqual(['email', 'email', 'email', 'phone', 'phone'])
    const dump = JSON.stringify(queryDb(home.db, 'select * from customers where id = 1'))
    expect(dump).not.toContain('ana')
  })

  test('a later import of the same person is reported, not re-created (by email or by phone)', async () => {
    await anaWithHistory()
    await crm(['forget', '1', '--reason', 'asked', '--yes'])
    const file = join(home.dir, 'again.csv')
    writeFileSync(file, 'first_name,last_name,email,phone\nAna,Silva,ANA@example.com,\nAnnie,S,new@example.com,+1 415 555 0100\nCleo,Nova,cleo@example.com,\nA,S,ana.dup@example.com,\n')
    const r = await crm(['import', file])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('again.csv:2: email: this person asked to be forgotten')
    expect(r.stderr).toContain('again.csv:3: email: this person asked to be forgotten')
    expect(r.stderr).toContain('again.csv:5: email: this person asked to be forgotten')
    expect(one<{ n: number }>('select count(*) n from customers').n).toBe(2)
    const skip = await crm(['import', file, '--skip-invalid'])
    expect(skip.exitCode, skip.stderr).toBe(0)
    expect(skip.stderr).toContain('3 erased people not re-created')
    expect(queryDb(home.db, 'select first_name from customers where forgotten_at is null order by id')).toEqual([{ first_name: 'Ben' }, { first_name: 'Cleo' }])
    // crm add refuses too, unless the person asks to come back.
    const add = await crm(['add', '--first-name', 'Ana', '--email', 'ana@example.com'])
    expect(add.exitCode).toBe(1)
    expect(add.stderr).toContain('erased with crm forget')
    expect((await crm(['add', '--first-name', 'Ana', '--email', 'ana@example.com', '--allow-forgotten'])).exitCode).toBe(0)
  })

  test('an erased customer cannot be edited, logged or forgotten again, and is never exported', async () => {
    await anaWithHistory()
    await crm(['forget', '1', '--reason', 'asked', '--yes'])
    for (const args of [['edit', '1', '--city', 'X'], ['log', '1', '--channel', 'email', 'hi'], ['forget', '1', '--reason', 'x', '--yes']]) {
      const r = await crm(args)
      expect(r.exitCode).toBe(1)
      expect(r.stderr).toBe('crm: customer 1 was erased with crm forget on 2026-11-23\n')
    }
    const e = await crm(['export', '--include-opted-out', '--fields', 'id'])
    expect(e.stdout).toBe('id\n2\n')
    const show = await crm(['show', '1'])
    expect(show.stdout).toContain('Erased with crm forget on 2026-11-23')
  })
})

describe('crm export --person', () => {
  test('everything held about one person as JSON: record, tags, purchases, contacts, NPS, audit', async () => {
    await anaWithHistory()
    const r = await crm(['export', '--person', 'ana@example.com'])
    expect(r.exitCode, r.stderr).toBe(0)
    const d = JSON.parse(r.stdout)
    expect(d.exported_at).toBe(NOW)
    expect(d.customer).toMatchObject({ id: 1, first_name: 'Ana', email: 'ana@example.com', phone_e164: '+14155550100', notes: 'allergic to wool' })
    expect(d.tags).toEqual(['vip'])
    expect(d.purchases.map((p: { amount_cents: number }) => p.amount_cents)).toEqual([10000, 5000])
    expect(d.contacts[0].note).toBe('Ana said the shoes hurt')
    expect(d.nps_answers[0].comment).toBe('Ana loves it')
    expect(d.audit.map((a: { action: string }) => a.action)).toEqual(['add', 'edit', 'merge'])
    const bad = await crm(['export', '--person', '1', '--city', 'X'])
    expect(bad.exitCode).toBe(2)
  })
})
