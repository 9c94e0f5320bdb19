import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { ROOT, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

/** The README's quick start, run as written (crm instead of the npm steps), from the project folder. */
test('the README quick start runs as written and finds the women who spent over 500', async () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const block = /## Quick start\s+```sh\n([\s\S]*?)```/.exec(readme)![1]!
  const commands = block
    .split('\n')
    .map((l) => l.replace(/\s+#.*$/, '').trim())
    .filter((l) => l.startsWith('crm '))
  expect(commands.length).toBeGreaterThanOrEqual(4)
  let last = ''
  for (const line of commands) {
    const args = line.slice(4).split(/\s+/)
    const r = await runCrm(args, home.dir, { cwd: ROOT, env: { CRM_NOW: '2026-11-25T12:00:00Z' } })
    expect(r.exitCode, `${line}: ${r.stderr}`).toBe(0)
    if (args[0] === 'query') last = r.stdout
  }
  const emails = last.trim().split('\n').slice(1).map((row) => row.split(',')[4])
  expect(emails).toEqual(['anna.mueller@example.com', 'lan@example.vn'])
})
