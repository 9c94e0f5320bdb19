import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Help } from 'commander'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { commands } from '../../src/cli/commands.js'
import { BIN, ROOT, runCrm, tempHome } from '../helpers/runCrm.js'

// A command loads only what it uses (issue 18): checked on the loaded module list of the
// built binary, never on a time. The bundle holds kysely, zod and commander inside its
// chunk files, so dist/bundle/packages.json and modules.json (written by scripts/bundle.mjs)
// say which packages and which crm modules each chunk carries; better-sqlite3, pg, pdfkit
// and any-ascii load from node_modules.

const HOOK = join(ROOT, 'test/helpers/moduleLog.mjs')
const BUNDLE = pathToFileURL(join(ROOT, 'dist/bundle')).href + '/'
const chunkPackages = JSON.parse(readFileSync(join(ROOT, 'dist/bundle/packages.json'), 'utf8')) as Record<string, string[]>
const chunkModules = JSON.parse(readFileSync(join(ROOT, 'dist/bundle/modules.json'), 'utf8')) as Record<string, string[]>
/** Each command's own module (src/cli/query.js …), as commands.ts loads them. */
const COMMAND_MODULES = new Set(
  [...readFileSync(join(ROOT, 'src/cli/commands.ts'), 'utf8').matchAll(/import\('\.\/(\w+)\.js'\)/g)].map((m) => `src/cli/${m[1]}.js`),
)

let home: ReturnType<typeof tempHome>
beforeAll(async () => {
  home = tempHome()
  // The database exists and is current before the runs that are checked.
  expect((await runCrm(['--db', home.db, 'query', '--count'], home.dir)).exitCode).toBe(0)
})
afterAll(() => home.cleanup())

/** Runs the binary with the module log on; the npm packages, bundle files and command modules it loaded. */
function loaded(args: string[]): { packages: Set<string>; files: string[]; commandModules: string[]; stdout: string } {
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
  const commandModules: string[] = []
  for (const url of urls) {
    const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]
    if (pkg) packages.add(pkg)
    if (url.startsWith(BUNDLE)) {
      const file = url.slice(BUNDLE.length)
      files.push(file)
      for (const p of chunkPackages[file] ?? []) packages.add(p)
      for (const m of chunkModules[file] ?? []) if (COMMAND_MODULES.has(m)) commandModules.push(m)
    }
  }
  return { packages, files, commandModules, stdout: r.stdout }
}

/** better-sqlite3 and the two packages it finds its native code with. */
const SQLITE_DRIVER = ['better-sqlite3', 'bindings', 'file-uri-to-path']

/** What no command's --help and no command that opens no database may load. */
const DB_AND_HEAVY = ['better-sqlite3', 'pg', 'pdfkit', 'dejavu-fonts-ttf', 'talisman', 'cli-progress', 'csv-parse']

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

  test('crm query --count on a current database: better-sqlite3 alone, no parser, Kysely, zod or migration work', () => {
    const r = loaded(['--db', home.db, 'query', '--count'])
    expect(r.stdout).toBe('0\n')
    expect([...r.packages].filter((p) => !SQLITE_DRIVER.includes(p))).toEqual([])
    expect(r.commandModules).toEqual([])
    expect(r.files.filter((f) => f.startsWith('migrations/') || f.startsWith('chunks/runMigrator-'))).toEqual([])
    // Answered from quick.cjs (bin/crm.js, src/cli/quickEntry.ts): the CLI's own bundle never loads.
    // Its chunks are shared with crm.cjs (scripts/bundle.mjs); the packages check above says none holds Kysely or zod.
    expect(r.files[0]).toBe('quick.cjs')
    expect(r.files).toContainEqual(expect.stringMatching(/^chunks\/quickCount-[\w-]+\.cjs$/))
    expect(r.files).not.toContain('crm.cjs')
    expect(r.files.filter((f) => !f.endsWith('.cjs'))).toEqual([])
  })

  test('every other command line loads the CLI bundle, all CommonJS, and not the quick count\'s driver', () => {
    const r = loaded(['--db', home.db, 'query', '--count', '--format', 'csv'])
    expect(r.stdout).toBe('0\n')
    expect(r.files).toContain('crm.cjs')
    // No ES module of crm's: Node's ES module loader costs a process about 35 ms (issue 18).
    expect(r.files.filter((f) => !f.endsWith('.cjs'))).toEqual([])
    expect(r.files.filter((f) => f.startsWith('chunks/quickCount-'))).toEqual([])
  })

  test('crm query --city X --gender f --count (the general path): no migration work, no PDF, PostgreSQL, phone, import or transliteration code', () => {
    // --gender f is read from the plain table; the transliterated one (any-ascii) is for words such as "zhenskiy".
    const r = loaded(['--db', home.db, 'query', '--city', 'Berlin', '--gender', 'f', '--count'])
    expect(r.stdout).toBe('0\n')
    for (const p of [...HEAVY, 'any-ascii']) expect(r.packages, p).not.toContain(p)
    expect(r.packages).toContain('better-sqlite3')
    // The Migrator and the migration files load only when a migration is missing.
    expect(r.files.filter((f) => f.startsWith('migrations/') || f.startsWith('chunks/runMigrator-'))).toEqual([])
    expect(r.commandModules).toEqual(['src/cli/query.js'])
  })

  test('crm query --limit 5 loads the query command and none of another command', () => {
    const r = loaded(['--db', home.db, 'query', '--limit', '5', '--format', 'csv'])
    for (const p of [...HEAVY, 'any-ascii']) expect(r.packages, p).not.toContain(p)
    expect(r.commandModules).toEqual(['src/cli/query.js'])
  })

  test('crm config get reads no database code', () => {
    const r = loaded(['config', 'get', 'country'])
    expect(r.stdout).toBe('US\n')
    for (const p of [...DB_AND_HEAVY, 'kysely']) expect(r.packages, p).not.toContain(p)
    expect(r.commandModules).toEqual(['src/cli/config.js'])
  })

  test('crm labels --format text does not load pdfkit or its fonts', () => {
    const r = loaded(['--db', home.db, 'labels', '--format', 'text'])
    expect(r.packages).not.toContain('pdfkit')
    expect(r.packages).not.toContain('dejavu-fonts-ttf')
    expect(r.packages).not.toContain('pg')
  })
})

test('a non-ASCII filter value loads any-ascii on demand, and matches the transliterated text', async () => {
  const db = join(home.dir, 'munich.db')
  expect((await runCrm(['--db', db, 'add', '--first-name', 'Ann', '--city', 'Munchen'], home.dir)).exitCode).toBe(0)
  const r = loaded(['--db', db, 'query', '--city', 'München', '--count'])
  expect(r.stdout).toBe('1\n')
  expect(r.packages).toContain('any-ascii')
})

describe('crm CMD --help loads that command module and no other command\'s', () => {
  test.each(commands.map((e) => [e.name] as const))('%s --help', (name) => {
    const r = loaded([name, '--help'])
    expect(r.stdout).toContain(`Usage: crm ${name}`)
    expect(r.commandModules).toHaveLength(1)
    // The database, PDF and PostgreSQL code load when a command runs, not for its help.
    for (const p of DB_AND_HEAVY) expect(r.packages, p).not.toContain(p)
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
