import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Help } from 'commander'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { commands } from '../../src/cli/commands.js'
import { BIN, ROOT, runCrm, tempHome } from '../helpers/runCrm.js'

// A command loads only what it uses (issue 18): checked on the loaded module list of the
// built binary, never on a time. The bundle holds kysely, zod and any-ascii inside its
// chunk files, so dist/bundle/packages.json (written by scripts/bundle.mjs) says which
// packages each chunk carries; better-sqlite3, pg and pdfkit load from node_modules.

const HOOK = join(ROOT, 'test/helpers/moduleLog.mjs')
const BUNDLE = pathToFileURL(join(ROOT, 'dist/bundle')).href + '/'
const chunkPackages = JSON.parse(readFileSync(join(ROOT, 'dist/bundle/packages.json'), 'utf8')) as Record<string, string[]>

let home: ReturnType<typeof tempHome>
beforeAll(async () => {
  home = tempHome()
  // The database exists and is current before the runs that are checked.
  expect((await runCrm(['--db', home.db, 'query', '--count'], home.dir)).exitCode).toBe(0)
})
afterAll(() => home.cleanup())

/** Runs the binary with the module log on; the npm packages and crm files it loaded. */
function loaded(args: string[]): { packages: Set<string>; files: string[]; stdout: string } {
  const log = join(home.dir, `modules-${Math.random().toString(36).slice(2)}.log`)
  const r = spawnSync(process.execPath, ['--import', pathToFileURL(HOOK).href, BIN, ...args], {
    cwd: home.dir,
    env: { PATH: process.env.PATH, HOME: home.dir, XDG_DATA_HOME: join(home.dir, 'data'), XDG_CONFIG_HOME: join(home.dir, 'config'), TZ: 'UTC', CRM_MODULE_LOG: log },
    encoding: 'utf8',
  })
  expect(r.status, r.stderr).toBe(0)
  const urls = readFileSync(log, 'utf8').trim().split('\n')
  const packages = new Set<string>()
  const files: string[] = []
  for (const url of urls) {
    const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]
    if (pkg) packages.add(pkg)
    if (url.startsWith(BUNDLE)) {
      const file = url.slice(BUNDLE.length)
      files.push(file)
      for (const p of chunkPackages[file] ?? []) packages.add(p)
    }
  }
  return { packages, files, stdout: r.stdout }
}

/** Packages that belong to one or a few commands only. */
const HEAVY = ['pdfkit', 'pg', 'libphonenumber-js', 'csv-parse', 'talisman', 'cli-progress', 'dejavu-fonts-ttf', 'bidi-js']

describe('each command loads only what it uses', () => {
  test('crm --version loads no command-line parser, database driver or schema library', () => {
    const r = loaded(['--version'])
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
    expect([...r.packages]).toEqual([])
  })

  test('crm --help loads the parser only, and no command module', () => {
    const r = loaded(['--help'])
    expect(r.stdout).toContain('Commands:')
    expect([...r.packages]).toEqual(['commander'])
    expect(r.files.filter((f) => /^chunks\/(query|import|labels|dedupe|backup)-/.test(f))).toEqual([])
  })

  test('crm query --count on a current database: no migration work, no PDF, PostgreSQL, phone or import code', () => {
    const r = loaded(['--db', home.db, 'query', '--count'])
    expect(r.stdout).toBe('0\n')
    for (const p of HEAVY) expect(r.packages, p).not.toContain(p)
    expect(r.packages).toContain('better-sqlite3')
    // The Migrator and the migration files load only when a migration is missing.
    expect(r.files.filter((f) => f.startsWith('migrations/') || f.startsWith('chunks/runMigrator-'))).toEqual([])
    expect(r.files.filter((f) => /^chunks\/(import|labels|dedupe|backup|report)-/.test(f))).toEqual([])
  })

  test('crm labels --format text does not load pdfkit or its fonts', () => {
    const r = loaded(['--db', home.db, 'labels', '--format', 'text'])
    expect(r.packages).not.toContain('pdfkit')
    expect(r.packages).not.toContain('dejavu-fonts-ttf')
    expect(r.packages).not.toContain('pg')
  })
})

describe('the command list main.ts shows without loading a command', () => {
  test.each(commands.map((e) => [e.name, e] as const))('%s: its entry says what the loaded command says', async (_name, entry) => {
    const cmd = await entry.load()
    expect(cmd.name()).toBe(entry.name)
    expect(cmd.alias() ?? undefined).toBe(entry.alias)
    expect(cmd.description()).toBe(entry.description)
    const term = `${entry.name}${entry.alias ? `|${entry.alias}` : ''}${entry.usage ? ` ${entry.usage}` : ''}`
    expect(new Help().subcommandTerm(cmd)).toBe(term)
  })
})
