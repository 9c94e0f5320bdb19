import { afterAll, beforeAll, expect, test } from 'vitest'
import { FIELDS_SECTION, readmeCommands } from '../helpers/readme.js'
import { queryDb, ROOT, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeAll(() => {
  home = tempHome()
})
afterAll(() => home.cleanup())

test('every crm command in the custom fields section runs as written, in order, and says what the text says', async () => {
  const commands = readmeCommands(FIELDS_SECTION)
  expect(commands.length).toBeGreaterThanOrEqual(25)
  const out = new Map<string, string>()
  for (const args of commands) {
    const r = await runCrm(['--db', home.db, ...args], home.dir, { env: { CRM_NOW: '2026-11-23T12:00:00Z' }, cwd: ROOT })
    expect(r.exitCode, `${args.join(" ")}: ${r.stderr}`).toBe(0)
    out.set(args.join(' '), r.stdout)
  }
  const stdout = (start: string) => [...out.entries()].find(([k]) => k.startsWith(start))![1]
  // Ana (2 children, high, 2023) and Cy (3, high, 2019) from the example file.
  expect(stdout('query --where income_band=high --where children>=2').split('\n').filter((l) => /@example\.com/.test(l))).toHaveLength(2)
  expect(stdout('query --where favourite~espresso')).toContain('cy@example.com')
  expect(stdout('query --where favourite~espresso')).toContain('bo@example.com')
  expect(stdout('query --where loyalty_no is empty')).toBe('3\n')
  expect(stdout('show ana@example.com')).toContain('Household income: high')
  expect(stdout('report fields income_band')).toBe('value,customers,share\nlow,1,20\nmiddle,0,0\nhigh,2,40\n(empty),2,40\n')
  expect(stdout('export --where children>=1 --format vcard')).toContain('X-CRM-CHILDREN:2\r\n')
  expect(queryDb(home.db, 'select name from custom_fields order by id').map((r) => r.name)).toEqual([
    'children', 'income_band', 'member_since', 'newsletter_ok', 'favourite_product', 'loyalty_no',
  ])
}, 240_000)
