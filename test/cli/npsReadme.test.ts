import { spawnSync } from 'node:child_process'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { BIN, queryDb, ROOT, tempHome } from '../helpers/runCrm.js'

// The README's NPS examples, run as written, in order, by a shell with `crm` on its PATH.
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const block = /## NPS: crm nps\n\n```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? ''
const lines = block.split('\n').filter((l) => l.trim() !== '')

let home: ReturnType<typeof tempHome>
const env = () => ({
  PATH: `${join(home.dir, 'bin')}:${process.env.PATH}`,
  HOME: home.dir,
  XDG_DATA_HOME: join(home.dir, 'data'),
  XDG_CONFIG_HOME: join(home.dir, 'config'),
  CRM_DB: home.db,
  TZ: 'UTC',
})
const sh = (line: string) => spawnSync('sh', ['-c', line], { cwd: home.dir, env: env(), encoding: 'utf8' })

beforeAll(() => {
  home = tempHome()
  spawnSync('mkdir', ['-p', join(home.dir, 'bin'), join(home.dir, 'examples')])
  const shim = join(home.dir, 'bin', 'crm')
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`)
  chmodSync(shim, 0o755)
  for (const f of ['contacts.csv', 'purchases.csv', 'nps-answers.csv']) {
    writeFileSync(join(home.dir, 'examples', f), readFileSync(join(ROOT, 'examples', f)))
  }
  for (const f of ['contacts.csv', 'purchases.csv']) expect(sh(`crm import examples/${f}`).status).toBe(0)
})
afterAll(() => home.cleanup())

describe('README: NPS examples', () => {
  test('there are examples for every subcommand', () => {
    expect(lines.some((l) => l.startsWith('crm nps add '))).toBe(true)
    expect(lines.some((l) => l.startsWith('crm nps detractors'))).toBe(true)
    expect(lines.some((l) => l.startsWith('crm nps score'))).toBe(true)
  })

  test.each(lines.map((l) => [l]))('%s', (line) => {
    const r = sh(line)
    expect(r.status, r.stderr).toBe(0)
  })

  test('the examples left the answers they describe', () => {
    // 7 imported (the guest anonymously) + 2 added.
    expect(queryDb(home.db, 'select count(*) as n, sum(customer_id is null) as anonymous from nps_answers')).toEqual([{ n: 9, anonymous: 1 }])
    const csv = readFileSync(join(home.dir, 'call-back.csv'), 'utf8')
    expect(csv.split('\n')[0]).toBe('first_name,phone,score,comment')
  })
})
