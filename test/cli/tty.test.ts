import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'
import { runCrmOnTty } from '../helpers/runCrmTty.js'

let home: ReturnType<typeof tempHome>
const count = () => queryDb<{ n: number }>(home.db, 'select count(*) n from customers where forgotten_at is null')[0]!.n

beforeEach(async () => {
  home = tempHome()
  const r = await runCrm(['add', '--first-name', 'Ana', '--last-name', 'Silva', '--email', 'ana@example.com', '--db', home.db], home.dir)
  expect(r.exitCode, r.stderr).toBe(0)
})
afterEach(() => home.cleanup())

describe('on a terminal, destructive commands ask', () => {
  test('rm: answering no deletes nothing (exit 1); yes deletes', async () => {
    const question = 'Delete customer 1 (Ana Silva) with 0 purchases and 0 contacts? [y/N]'
    const no = await runCrmOnTty(['rm', '1', '--db', home.db], home.dir, [{ after: question, type: 'n' }])
    expect(no.stdout).toContain('nothing deleted')
    expect(no.exitCode).toBe(1)
    expect(count()).toBe(1)
    const yes = await runCrmOnTty(['rm', '1', '--db', home.db], home.dir, [{ after: question, type: 'y' }])
    expect(yes.exitCode, yes.stdout).toBe(0)
    expect(count()).toBe(0)
  })

  test('forget: asks, then erases', async () => {
    const r = await runCrmOnTty(['forget', 'ana@example.com', '--reason', 'asked', '--db', home.db], home.dir, [
      { after: 'Erase customer 1 (Ana Silva) for good? [y/N]', type: 'yes' },
    ])
    expect(r.exitCode, r.stdout).toBe(0)
    expect(count()).toBe(0)
  })

  test('add without a name asks for first name, last name and email', async () => {
    const r = await runCrmOnTty(['add', '--city', 'Berlin', '--db', home.db], home.dir, [
      { after: 'First name:', type: 'Ben' },
      { after: 'Last name:', type: 'Okafor' },
      { after: 'Email:', type: 'ben@example.com' },
    ])
    expect(r.exitCode, r.stdout).toBe(0)
    expect(queryDb(home.db, 'select first_name, last_name, email, city from customers where id = 2')).toEqual([
      { first_name: 'Ben', last_name: 'Okafor', email: 'ben@example.com', city: 'Berlin' },
    ])
  })
})
