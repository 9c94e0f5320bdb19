import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { BIN, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

/** Runs crm from a shell whose umask is 022 (the usual default: new files world-readable). */
function crmUmask022(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync('sh', ['-c', 'umask 022; exec "$@"', 'sh', process.execPath, BIN, '--db', join(home.dir, 'data', 'crm.db'), ...args], {
    cwd: home.dir,
    encoding: 'utf8',
    input: '',
    env: { PATH: process.env.PATH, HOME: home.dir, XDG_DATA_HOME: join(home.dir, 'data'), XDG_CONFIG_HOME: join(home.dir, 'config'), TZ: 'UTC' },
  })
  return { status: r.status, stderr: r.stderr }
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
}

test('every file crm writes holding personal data is 0600 (folders 0700) under umask 022', { timeout: 120_000 }, async () => {
  const input = join(home.dir, 'in')
  spawnSync('mkdir', ['-p', input])
  writeFileSync(
    join(input, 'people.csv'),
    'first_name,last_name,email,street,city,postal_code,country,birth_date\n' +
      'Ana,Lima,ana@example.com,1 Rua A,Lisboa,1000-001,PT,1990-01-01\n' +
      'Ana,Lima,ana.lima@example.com,1 Rua A,Lisboa,1000-001,PT,1990-01-01\n' +
      'Bad,Row,not-an-email,,,,,31/31/1990\n',
  )
  const steps: string[][] = [
    ['import', join(input, 'people.csv'), '--skip-invalid'],
    ['backup', '--note', 'modes'],
    ['dedupe', '--merge', '--yes', '--threshold', '0.5'],
    ['labels', '--format', 'pdf', '--output', join(home.dir, 'out', 'labels.pdf')],
    ['config', 'set', 'country', 'PT'],
  ]
  spawnSync('mkdir', ['-p', join(home.dir, 'out')])
  // What the tool wrote, looked at after every step (WAL/SHM come and go): the database and
  // its WAL/SHM, backups and their manifests, the rejects file, the labels PDF, the config file.
  const modes: Record<string, string> = {}
  const look = () => {
    const written = [...filesUnder(join(home.dir, 'data')), ...filesUnder(join(home.dir, 'out')), ...filesUnder(join(home.dir, 'config')), ...filesUnder(input)]
    for (const f of written) if (!f.endsWith('people.csv')) modes[relative(home.dir, f)] = (statSync(f).mode & 0o777).toString(8)
  }
  for (const args of steps) {
    const r = crmUmask022(args)
    expect(r.status, `crm ${args.join(' ')}: ${r.stderr}`).toBe(0)
    look()
  }
  const ids = readdirSync(join(home.dir, 'data', 'backups')).filter((f) => f.endsWith('.json'))
  const restore = crmUmask022(['restore', ids[0]!.replace(/\.json$/, ''), '--yes'])
  expect(restore.status, restore.stderr).toBe(0)
  look()
  const names = Object.keys(modes)
  expect(names).toEqual(expect.arrayContaining(['data/crm.db', 'data/crm.db-wal', 'data/crm.db-shm', 'out/labels.pdf', 'in/people.rejects.csv']))
  expect(names.filter((n) => n.startsWith('data/backups/')).length).toBeGreaterThanOrEqual(4)
  expect(modes).toEqual(Object.fromEntries(names.map((n) => [n, '600'])))
  expect((statSync(join(home.dir, 'data', 'backups')).mode & 0o777).toString(8)).toBe('700')
})
