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
