import { join } from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readmeCommands } from '../helpers/readme.js'
import { ROOT, runCrm, tempHome } from '../helpers/runCrm.js'
import { freshDatabase } from './pgHelpers.js'

/**
 * Declares a test that runs every `crm …` line of one README section, in order, on
 * PostgreSQL and on SQLite after the same imports of files from examples/, and requires
 * the same exit code (0) and the same stdout from both. Call it at a test file's top level.
 */
export function readmeSectionOnBoth(section: string, examples: string[], minCommands: number): void {
  const home = tempHome()
  let url: string
  const env = { CRM_NOW: '2026-11-23T12:00:00Z' }

  beforeAll(async () => {
    url = await freshDatabase()
    for (const db of [home.db, url]) {
      for (const file of examples) {
        const r = await runCrm(['--db', db, 'import', join(ROOT, 'examples', file)], home.dir, { env })
        expect(r.exitCode, r.stderr).toBe(0)
      }
    }
  })
  afterAll(() => home.cleanup())

  test(`README "${section.replace(/^## /, '')}" runs as written on PostgreSQL, with the same output as on SQLite`, async () => {
    const commands = readmeCommands(section)
    expect(commands.length).toBeGreaterThanOrEqual(minCommands)
    for (const args of commands) {
      const onSqlite = await runCrm(['--db', home.db, ...args], home.dir, { env, cwd: ROOT })
      const onPg = await runCrm(['--db', url, ...args], home.dir, { env, cwd: ROOT })
      expect({ args, exitCode: onSqlite.exitCode, stderr: onSqlite.stderr }).toMatchObject({ exitCode: 0 })
      expect({ args, exitCode: onPg.exitCode, stdout: onPg.stdout }).toEqual({ args, exitCode: 0, stdout: onSqlite.stdout })
    }
  }, 300_000)
}
