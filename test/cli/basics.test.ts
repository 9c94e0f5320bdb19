import { statSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

describe('crm basics', () => {
  test('--version prints the package version', async () => {
    const r = await runCrm(['--version'], home.dir)
    expect(r.exitCode).toBe(0)
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  test('--help lists commands and exit codes', async () => {
    const r = await runCrm(['--help'], home.dir)
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toContain('import')
    expect(r.stdout).toContain('Exit codes')
  })

  test('an unknown flag is a usage error with exit 2', async () => {
    const r = await runCrm(['config', 'get', '--bogus'], home.dir)
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain("unknown option '--bogus'")
  })

  test('an unknown command is a usage error with exit 2', async () => {
    const r = await runCrm(['frobnicate'], home.dir)
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain('frobnicate')
  })

  test('config set and get round-trip, and bad values are refused', async () => {
    expect((await runCrm(['config', 'set', 'country', 'de'], home.dir)).exitCode).toBe(0)
    const r = await runCrm(['config', 'get', 'country'], home.dir)
    expect(r.stdout.trim()).toBe('DE')
    const bad = await runCrm(['config', 'set', 'timezone', 'Mars/Olympus'], home.dir)
    expect(bad.exitCode).toBe(2)
    expect(bad.stderr).toMatch(/^crm: "Mars\/Olympus" is not a time zone/)
    const mode = statSync(join(home.dir, 'config/crm/config.json')).mode & 0o777
    expect(mode).toBe(0o600)
  })
})

export { queryDb }

describe('output into a closed pipe', () => {
  test('crm query | head -1 ends quietly, no EPIPE stack trace', async () => {
    const { spawnSync } = await import('node:child_process')
    const { writeFileSync } = await import('node:fs')
    const { join } = await import('node:path')
    const { BIN } = await import('../helpers/runCrm.js')
    const csv = join(home.dir, 'many.csv')
    writeFileSync(csv, 'first_name,email,notes\n' + Array.from({ length: 5000 }, (_, i) => `P${i},p${i}@example.com,${'x'.repeat(200)}`).join('\n') + '\n')
    expect((await runCrm(['--db', home.db, 'import', csv], home.dir)).exitCode).toBe(0)
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" --db "${home.db}" query --format csv | head -1`], { encoding: 'utf8', env: { ...process.env, HOME: home.dir } })
    expect(r.stdout.trim()).toMatch(/^id,/)
    expect(r.stderr).toBe('')
  })
})
