import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BIN, queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

// Files over 2 MB are parsed in a worker thread: these tests run that path.
let home: ReturnType<typeof tempHome>
let big: string
const ROWS = 30_000
beforeAll(() => {
  home = tempHome()
  const lines = ['external_id,first_name,last_name,email,phone,city,country,tags']
  for (let i = 0; i < ROWS; i++) {
    lines.push(`X${i},Имя${i},Nguyễn,person${i}@example.com,+49 30 ${String(1000000 + i)},München,DE,${i % 3 === 0 ? '"vip, local"' : ''}`)
  }
  big = join(home.dir, 'big.csv')
  writeFileSync(big, lines.join('\r\n') + '\r\n')
})
afterAll(() => home.cleanup())

describe('a big file', () => {
  test('imports through the worker thread, every row, keys and tags included', async () => {
    const r = await runCrm(['--db', home.db, 'import', big], home.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain(`${ROWS} inserted`)
    expect(r.stderr).not.toContain('importing [')
    expect(queryDb(home.db, 'select count(*) as n, count(phone_e164) as p, min(city_key) as c from customers')).toEqual([{ n: ROWS, p: ROWS, c: 'munchen' }])
    expect(queryDb(home.db, 'select count(*) as n from customer_tags')).toEqual([{ n: (ROWS / 3) * 2 }])
  })

  test('a bad row near the end rejects everything, with its line number', async () => {
    const f = join(home.dir, 'bad-end.csv')
    const lines = ['email,first_name']
    for (let i = 0; i < ROWS; i++) lines.push(`late${i}@example.com,Late ${i} ${'x'.repeat(60)}`)
    lines.push('not-an-email,Broken')
    writeFileSync(f, lines.join('\n') + '\n')
    const db = join(home.dir, 'other.db')
    const r = await runCrm(['--db', db, 'import', f], home.dir)
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain(`bad-end.csv:${ROWS + 2}: email: "not-an-email" is not an email address`)
    expect(queryDb(db, 'select count(*) as n from customers')).toEqual([{ n: 0 }])
  })

  test('on a terminal, a progress bar is drawn on stderr', () => {
    const hasScript = spawnSync('script', ['--version']).status === 0
    expect(hasScript, 'util-linux script(1) is needed to give crm a terminal').toBe(true)
    const db = join(home.dir, 'tty.db')
    const r = spawnSync('script', ['-qec', `${process.execPath} ${BIN} --db ${db} import ${big}`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, HOME: home.dir, XDG_CONFIG_HOME: join(home.dir, 'config') },
    })
    expect(r.status).toBe(0)
    expect(r.stdout).toContain('importing [')
    expect(r.stdout).toContain(`${ROWS} inserted`)
  })
})
