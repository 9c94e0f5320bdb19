import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
const NOW = '2026-11-23T12:00:00.000Z'
const crm = (args: string[], env: Record<string, string> = {}) => runCrm([...args, '--db', home.db], home.dir, { env: { CRM_NOW: NOW, ...env } })
const rows = <T = Record<string, unknown>>(sql: string, ...p: unknown[]) => queryDb<T>(home.db, sql, ...p)
const ok = async (args: string[]) => {
  const r = await crm(args)
  expect(r.exitCode, r.stderr).toBe(0)
  return r
}
const file = (name: string, text: string) => {
  const p = join(home.dir, name)
  writeFileSync(p, text)
  return p
}
const csv = async (args: string[]) => (await ok([...args, '--format', 'csv'])).stdout

beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

/** Four fields and five customers, with the empty and awkward values real lists have. */
async function shop(): Promise<void> {
  await ok(['field', 'add', 'children', '--type', 'number', '--label', 'Number of children'])
  await ok(['field', 'add', 'income_band', '--type', 'choice', '--choices', 'low,middle,high', '--label', 'Household income'])
  await ok(['field', 'add', 'member_since', '--type', 'date'])
  await ok(['field', 'add', 'points', '--type', 'money'])
  await ok(['field', 'add', 'newsletter', '--type', 'bool'])
  await ok(['field', 'add', 'favourite', '--type', 'text'])
  const people = [
    ['Ana', 'children=2', 'income_band=high', 'member_since=2023-05-01', 'points=12.50', 'newsletter=yes', 'favourite=Crème brûlée'],
    ['Bo', 'children=0', 'income_band=Low', 'member_since=2024-02-29', 'points=0', 'newsletter=no', 'favourite=creme BRULEE tart'],
    ['Cy', 'children=5', 'income_band=high', 'member_since=2019-12-31', 'points=1,200.00'],
    ['Дарья', 'children=1', 'favourite=Пельмени'],
    ['Ed'],
  ]
  for (const [name, ...sets] of people) await ok(['add', '--first-name', name!, ...sets.flatMap((s) => ['--set', s])])
}

describe('crm field', () => {
  test('add, list, rename and rm (with a safety backup first)', async () => {
    await shop()
    const list = await ok(['field', 'list', '--format', 'csv'])
    expect(list.stdout).toBe(
      'name,label,type,choices,customers\nchildren,Number of children,number,,4\nincome_band,Household income,choice,"low,middle,high",3\n' +
        'member_since,,date,,3\npoints,,money,,3\nnewsletter,,bool,,2\nfavourite,,text,,3\n',
    )
    const renamed = await ok(['field', 'rename', 'favourite', 'favourite_dish'])
    expect(renamed.stderr).toBe('field favourite is now favourite_dish\n')
    expect(await csv(['query', '--fields', 'first_name,favourite_dish', '--where', 'favourite_dish is not empty'])).toBe(
      'first_name,favourite_dish\nAna,Crème brûlée\nBo,creme BRULEE tart\nДарья,Пельмени\n',
    )
    const rm = await crm(['field', 'rm', 'favourite_dish'])
    expect(rm.exitCode).toBe(2)
    expect(rm.stderr).toContain('add --yes to confirm')
    expect(rows('select count(*) as n from customer_field_values')).toEqual([{ n: 18 }])
    const gone = await ok(['field', 'rm', 'favourite_dish', '--yes'])
    expect(gone.stderr).toBe('field favourite_dish removed with 3 values (a safety backup was taken: crm backup list)\n')
    expect(rows('select count(*) as n from customer_field_values')).toEqual([{ n: 15 }])
    const manifests = readdirSync(join(home.dir, 'backups')).filter((f) => f.endsWith('.json'))
    expect(manifests.length).toBeGreaterThan(0)
    expect((await ok(['backup', 'list', '--format', 'csv'])).stdout).toContain('before crm field rm favourite_dish')
    expect(rows("select action from audit where action like 'field%' order by id").map((r) => r.action)).toEqual([
      ...Array(6).fill('field add'), 'field rename', 'field rm',
    ])
  })

  test('bad names and types: one line, exit 2, nothing defined', async () => {
    const cases: Array<[string[], string]> = [
      [['field', 'add', 'city', '--type', 'text'], 'crm: field name "city" is a built-in field or filter name; choose another (e.g. my_city)\n'],
      [['field', 'add', 'Spent_Cents', '--type', 'money'], 'built-in field or filter name'],
      [['field', 'add', 'x;drop table customers', '--type', 'text'], 'use letters, digits and _'],
      [['field', 'add', '2fast', '--type', 'text'], 'use letters, digits and _'],
      [['field', 'add', 'band', '--type', 'choice'], 'crm: --type choice needs --choices, e.g. --choices low,middle,high\n'],
      [['field', 'add', 'band', '--type', 'choice', '--choices', 'a,A'], '--choices: "A" is given twice'],
      [['field', 'add', 'kids', '--type', 'number', '--choices', 'a,b'], '--choices is only for --type choice'],
      [['field', 'add', 'kids', '--type', 'integer'], "option '--type <type>' argument 'integer' is invalid"],
      [['field', 'add', 'kids'], "required option '--type <type>' not specified"],
    ]
    for (const [args, message] of cases) {
      const r = await crm(args)
      expect(r.exitCode, args.join(' ')).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stderr.trim().split('\n')).toHaveLength(1)
    }
    expect(existsSync(home.db) ? rows('select count(*) as n from custom_fields') : [{ n: 0 }]).toEqual([{ n: 0 }])
    await ok(['field', 'add', 'kids', '--type', 'number'])
    const twice = await crm(['field', 'add', 'KIDS', '--type', 'text'])
    expect(twice.exitCode).toBe(1)
    expect(twice.stderr).toBe('crm: a field named "kids" already exists (crm field rename changes a name)\n')
    const clash = await crm(['field', 'rename', 'kids', 'email'])
    expect(clash.exitCode).toBe(2)
    const unknown = await crm(['field', 'rename', 'nope', 'other'])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toBe('crm: field rename: no custom field named "nope" (fields: kids)\n')
  })

  test('--from-extra moves imported extra values into the field; a value that does not fit changes nothing', async () => {
    const contacts = file('loyal.csv', 'first_name,email,Loyalty card,Kids\nAna,ana@example.com,L-100,2\nBo,bo@example.com,,two\nCy,cy@example.com,L-300,\n')
    await ok(['import', contacts])
    const before = rows('select id, extra, updated_at from customers order by id')
    expect(before[0]!.extra).toBe('{"Loyalty card":"L-100","Kids":"2"}')
    const bad = await crm(['field', 'add', 'kids', '--type', 'number', '--from-extra', 'kids'])
    expect(bad.exitCode).toBe(1)
    expect(bad.stderr).toBe(
      'crm: --from-extra kids: 1 value do not fit the field (nothing changed; fix them with crm edit, or choose another --type):\n' +
        '  customer 2: kids: "two" is not a number (e.g. 2 or 3.5)\n',
    )
    expect(rows('select count(*) as n from custom_fields')).toEqual([{ n: 0 }])
    expect(rows('select id, extra, updated_at from customers order by id')).toEqual(before)
    const good = await ok(['field', 'add', 'loyalty_no', '--type', 'text', '--from-extra', 'Loyalty card'], )
    expect(good.stderr).toBe('field loyalty_no (text) added; 2 values moved from extra "Loyalty card"\n')
    expect(rows('select id, extra from customers order by id')).toEqual([
      { id: 1, extra: '{"Kids":"2"}' },
      { id: 2, extra: '{"Kids":"two"}' },
      { id: 3, extra: null },
    ])
    expect(await csv(['query', '--fields', 'id,loyalty_no'])).toBe('id,loyalty_no\n1,L-100\n2,\n3,L-300\n')
  })
})

describe('values: crm add/edit --set, show', () => {
  test('--set stores typed values; show lists them; edit changes and clears them with an audit row', async () => {
    await shop()
    const show = await ok(['show', '1'])
    expect(show.stdout).toContain('Number of children: 2\nHousehold income: high\nmember_since: 2023-05-01\npoints:      12.50\nnewsletter:  yes\nfavourite:   Crème brûlée\n')
    const json = JSON.parse((await ok(['show', '3', '--format', 'json'])).stdout) as { custom: unknown }
    expect(json.custom).toEqual([
      { name: 'children', label: 'Number of children', type: 'number', value: 5 },
      { name: 'income_band', label: 'Household income', type: 'choice', value: 'high' },
      { name: 'member_since', label: null, type: 'date', value: '2019-12-31' },
      { name: 'points', label: null, type: 'money', value: '1200.00' },
    ])
    expect(rows('select value_num from customer_field_values where customer_id = 3 and field_id = 4')).toEqual([{ value_num: 120000 }])
    const edit = await ok(['edit', '1', '--set', 'children=3', '--set', 'points=', '--set', 'INCOME_BAND=middle'], )
    expect(edit.stderr).toBe('customer 1: changed children, income_band, points\n')
    expect(await csv(['query', '--fields', 'children,income_band,points', '--where', 'children=3'])).toBe('children,income_band,points\n3,middle,\n')
    const audit = rows<{ details: string }>("select details from audit where action = 'edit'")[0]!
    expect(JSON.parse(audit.details)).toEqual({ changes: { children: { from: '2', to: '3' }, income_band: { from: 'high', to: 'middle' }, points: { from: '12.50', to: null } } })
    const same = await ok(['edit', '1', '--set', 'children=3'])
    expect(same.stderr).toBe('customer 1: nothing changed\n')
  })

  test('a wrong type, an unknown field or a choice not in the list: one line, exit 2, nothing written', async () => {
    await ok(['field', 'add', 'children', '--type', 'number'])
    await ok(['field', 'add', 'band', '--type', 'choice', '--choices', 'low,high'])
    await ok(['field', 'add', 'joined', '--type', 'date'])
    const cases: Array<[string[], string]> = [
      [['--set', 'children=two'], 'crm: --set children: "two" is not a number (e.g. 2 or 3.5)\n'],
      [['--set', 'band=medium'], 'crm: --set band: "medium" is not one of low, high\n'],
      [['--set', 'joined=2023-02-30'], 'crm: --set joined: "2023-02-30" is not a date (no day 30 in that month)\n'],
      [['--set', 'shoe_size=42'], 'crm: --set: no custom field named "shoe_size" (fields: children, band, joined)\n'],
      [['--set', 'children'], 'crm: --set "children": write NAME=VALUE (an empty VALUE clears the field)\n'],
      [['--set', 'children=1; drop table customers'], 'is not a number'],
    ]
    for (const [flags, message] of cases) {
      const r = await crm(['add', '--first-name', 'Ana', '--set', 'children=2', ...flags])
      expect(r.exitCode, flags.join(' ')).toBe(2)
      expect(r.stderr).toContain(message)
      expect(rows('select count(*) as n from customers')).toEqual([{ n: 0 }])
    }
    await ok(['add', '--first-name', 'Ana', '--set', 'children=2'])
    const r = await crm(['edit', '1', '--first-name', 'Anna', '--set', 'band=medium'])
    expect(r.exitCode).toBe(2)
    expect(rows('select first_name from customers')).toEqual([{ first_name: 'Ana' }])
    expect(rows('select count(*) as n from customer_field_values')).toEqual([{ n: 1 }])
  })
})

describe('crm import', () => {
  test('a column named like a field or its label, or --map "Header=field:NAME", fills the field', async () => {
    await ok(['field', 'add', 'children', '--type', 'number'])
    await ok(['field', 'add', 'income_band', '--type', 'choice', '--choices', 'low,middle,high', '--label', 'Household income'])
    await ok(['field', 'add', 'loyalty_no', '--type', 'text'])
    await ok(['field', 'add', 'member_since', '--type', 'date'])
    const f = file('shop.csv', 'First Name,Email,CHILDREN,Household Income,Card,Joined,Shoe size\nAna,ana@example.com,2,High,L-1,03/04/2023,38\nBo,bo@example.com,,low,,,\n')
    const r = await ok(['import', f, '--map', 'Card=field:loyalty_no', '--map', 'Joined=field:member_since', '--date-format', 'dmy'])
    expect(r.stderr).toContain('2 inserted')
    expect(await csv(['query', '--fields', 'first_name,children,income_band,loyalty_no,member_since,extra'])).toBe(
      'first_name,children,income_band,loyalty_no,member_since,extra\nAna,2,high,L-1,2023-04-03,"{""Shoe size"":""38""}"\nBo,,low,,,\n',
    )
    // An empty cell never erases a stored value.
    const again = file('again.csv', 'email,children,Household income\nana@example.com,,middle\n')
    await ok(['import', again])
    expect(await csv(['query', '--fields', 'children,income_band', '--where', 'children is not empty'])).toBe('children,income_band\n2,middle\n')
  })

  test('a bad value is FILE:LINE: NAME: reason, and nothing is imported', async () => {
    await ok(['field', 'add', 'children', '--type', 'number'])
    await ok(['field', 'add', 'band', '--type', 'choice', '--choices', 'low,high'])
    const f = file('bad.csv', 'first_name,email,children,band\nAna,ana@example.com,2,low\nBo,bo@example.com,lots,high\nCy,cy@example.com,1,middle\n')
    const r = await crm(['import', f])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toContain('bad.csv:3: children: "lots" is not a number (e.g. 2 or 3.5)\n')
    expect(r.stderr).toContain('bad.csv:4: band: "middle" is not one of low, high\n')
    expect(rows('select count(*) as n from customers')).toEqual([{ n: 0 }])
    expect(rows('select count(*) as n from customer_field_values')).toEqual([{ n: 0 }])
    const unknown = await crm(['import', f, '--map', 'band=field:nope'])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toBe('crm: --map: no custom field named "nope" (crm field list shows them; crm field add makes one)\n')
  })
})

describe('crm query --where', () => {
  test('operators per type, combined with each other and the built-in filters', async () => {
    await shop()
    const names = async (...where: string[]) => (await csv(['query', '--fields', 'first_name', ...where.flatMap((w) => ['--where', w])])).split('\n').slice(1, -1).join(' ')
    expect(await names('children>=2')).toBe('Ana Cy')
    expect(await names('children > 0', 'children<5')).toBe('Ana Дарья')
    expect(await names('children=0')).toBe('Bo')
    expect(await names('children!=0')).toBe('Ana Cy Дарья Ed')
    expect(await names('children is empty')).toBe('Ed')
    expect(await names('income_band=HIGH')).toBe('Ana Cy')
    expect(await names('income_band!=high')).toBe('Bo Дарья Ed')
    expect(await names('member_since<2024-01-01')).toBe('Ana Cy')
    expect(await names('member_since>=2024-02-29')).toBe('Bo')
    expect(await names('points>=12.50')).toBe('Ana Cy')
    expect(await names('points<1')).toBe('Bo')
    expect(await names('newsletter=yes')).toBe('Ana')
    expect(await names('newsletter=false')).toBe('Bo')
    expect(await names('favourite~creme brulee')).toBe('Ana Bo')
    expect(await names('favourite=CRÈME BRÛLÉE')).toBe('Ana')
    expect(await names('favourite~ПЕЛЬМЕНИ')).toBe('Дарья')
    expect(await names('favourite~%')).toBe('')
    expect(await names('favourite is not empty', 'children>=1')).toBe('Ana Дарья')
    expect((await ok(['query', '--where', 'income_band=high', '--search', 'cy', '--count'])).stdout).toBe('1\n')
  })

  test('--sort by a field puts empty values last either way; --fields takes field names', async () => {
    await shop()
    expect(await csv(['query', '--sort', 'children:desc', '--fields', 'first_name,children'])).toBe('first_name,children\nCy,5\nAna,2\nДарья,1\nBo,0\nEd,\n')
    expect(await csv(['query', '--sort', 'children', '--fields', 'first_name,children'])).toBe('first_name,children\nBo,0\nДарья,1\nAna,2\nCy,5\nEd,\n')
    expect(await csv(['query', '--sort', 'favourite', '--fields', 'first_name,Favourite', '--limit', '2'])).toBe('first_name,favourite\nAna,Crème brûlée\nBo,creme BRULEE tart\n')
    const json = JSON.parse((await ok(['query', '--where', 'children=2', '--fields', 'id,points,newsletter,member_since', '--format', 'json'])).stdout)
    expect(json).toEqual([{ id: 1, points: '12.50', newsletter: true, member_since: '2023-05-01' }])
  })

  test('unknown field, wrong operator, wrong value, hostile input: one line, exit 2', async () => {
    await shop()
    const cases: Array<[string, string]> = [
      ['shoe_size=42', 'crm: --where "shoe_size=42": no custom field named "shoe_size" (fields: children, income_band, member_since, points, newsletter, favourite)\n'],
      ['children>=two', 'crm: --where "children>=two": children: "two" is not a number (e.g. 2 or 3.5)\n'],
      ['income_band>low', 'crm: --where "income_band>low": income_band is a choice field; use = != is empty is not empty\n'],
      ['income_band=rich', 'crm: --where "income_band=rich": income_band: "rich" is not one of low, middle, high\n'],
      ['favourite<b', 'favourite is a text field; use = != ~ is empty is not empty'],
      ['children~1', 'children is a number field'],
      ['member_since<last year', 'member_since: "last year" is not a date'],
      ['children=1; drop table customers', '"1; drop table customers" is not a number'],
      ['children; drop table customers', 'expected an operator after "children"'],
      ["favourite='x' or '1'='1'", 'text after the closing quote'],
    ]
    for (const [where, message] of cases) {
      const r = await crm(['query', '--where', where])
      expect(r.exitCode, where).toBe(2)
      expect(r.stderr).toContain(message)
      expect(r.stdout).toBe('')
    }
    // A hostile text value is only ever a bound value.
    expect(await csv(['query', '--where', "favourite=x'); drop table customers; --", '--fields', 'id'])).toBe('id\n')
    expect(rows('select count(*) as n from customers')).toEqual([{ n: 5 }])
  })

  test('saved segments keep --where, follow a rename, and combine with more --where', async () => {
    await shop()
    const saved = await ok(['segment', 'save', 'big-families', '--where', 'children>=2'])
    expect(saved.stderr).toBe("segment \"big-families\" saved: --where 'children>=2' (2 customers match now)\n")
    await ok(['field', 'rename', 'children', 'kids'])
    expect(await csv(['query', '--segment', 'big-families', '--fields', 'first_name'])).toBe('first_name\nAna\nCy\n')
    expect(await csv(['query', '--segment', 'big-families', '--where', 'newsletter=yes', '--fields', 'first_name'])).toBe('first_name\nAna\n')
    expect((await ok(['segment', 'list', '--format', 'csv'])).stdout).toContain("--where 'kids>=2'")
    const bad = await crm(['segment', 'save', 'x', '--where', 'nope=1'])
    expect(bad.exitCode).toBe(2)
    expect(rows('select name from segments')).toEqual([{ name: 'big-families' }])
  })
})

describe('the shared filter everywhere', () => {
  test('labels, nps and the other reports take --where', async () => {
    await shop()
    await ok(['edit', '1', '--street', '1 Main St', '--city', 'Berlin', '--postal-code', '10115', '--country', 'DE'])
    await ok(['edit', '3', '--street', '2 Side St', '--city', 'Berlin', '--postal-code', '10117', '--country', 'DE'])
    const labels = await ok(['labels', '--where', 'children=2', '--format', 'text'])
    expect(labels.stdout).toContain('Ana\n1 Main St\n10115 Berlin')
    expect(labels.stdout).not.toContain('Side St')
    await ok(['nps', 'add', '3', '10', '--date', '2026-11-01'])
    await ok(['nps', 'add', '2', '0', '--date', '2026-11-01'])
    expect((await ok(['nps', 'score', '--where', 'income_band=high', '--format', 'csv'])).stdout).toMatch(/^n,.*\n1,1,0,0,/)
    const bad = await crm(['labels', '--where', 'nope=1', '--format', 'text'])
    expect(bad.exitCode).toBe(2)
  })
})

describe('labels --line', () => {
  test('fills {NAME} from custom and own fields, leaves off a line whose fields are all empty, refuses an unknown name', async () => {
    await shop()
    await ok(['edit', '1', '--street', '1 Main St', '--city', 'Berlin', '--postal-code', '10115', '--country', 'DE'])
    await ok(['edit', '3', '--street', '2 Side St', '--city', 'Berlin', '--postal-code', '10117', '--country', 'DE', '--email', 'cy@example.com'])
    const lines = ['--line', 'Kids: {children}', '--line', 'Likes {favourite}', '--line', '{email}', '--line', 'Thank you']
    const text = (await ok(['labels', ...lines, '--format', 'text', '--height', '8'])).stdout
    expect(text).toContain('Ana\n1 Main St\n10115 Berlin\nGERMANY\nKids: 2\nLikes Crème brûlée\nThank you')
    expect(text).toContain('Cy\n2 Side St\n10117 Berlin\nGERMANY\nKids: 5\ncy@example.com\nThank you')
    expect(text).not.toMatch(/Likes\s*\n/)
    for (const [template, says] of [
      ['{nope}', '{nope} is neither a custom field'],
      ['Kids {children', 'unmatched "{"'],
    ] as const) {
      const bad = await crm(['labels', '--line', template, '--format', 'text'])
      expect(bad.exitCode).toBe(2)
      expect(bad.stderr).toContain(says)
      expect(bad.stdout).toBe('')
    }
  })
})

describe('crm report fields', () => {
  test('choices with zero counts, number ranges, true/false, dates by year, empties; for the filtered customers', async () => {
    await shop()
    expect(await csv(['report', 'fields', 'income_band'])).toBe('value,customers,share\nlow,1,20\nmiddle,0,0\nhigh,2,40\n(empty),2,40\n')
    expect(await csv(['report', 'fields', 'children'])).toBe('value,customers,share\n0,1,20\n1,1,20\n2,1,20\n3,0,0\n4,0,0\n5,1,20\n(empty),1,20\n')
    expect(await csv(['report', 'fields', 'children', '--buckets', '3'])).toBe('value,customers,share\n0 to <2,2,40\n2 to <4,1,20\n4 to <6,1,20\n(empty),1,20\n')
    expect(await csv(['report', 'fields', 'points'])).toBe('value,customers,share\n0.00 to <200.00,2,40\n200.00 to <400.00,0,0\n400.00 to <600.00,0,0\n600.00 to <800.00,0,0\n800.00 to <1000.00,0,0\n1000.00 to <1200.00,0,0\n1200.00 to <1400.00,1,20\n(empty),2,40\n')
    expect(await csv(['report', 'fields', 'newsletter'])).toBe('value,customers,share\ntrue,1,20\nfalse,1,20\n(empty),3,60\n')
    expect(await csv(['report', 'fields', 'member_since'])).toBe('value,customers,share\n2019,1,20\n2023,1,20\n2024,1,20\n(empty),2,40\n')
    expect(await csv(['report', 'fields', 'member_since', '--by', 'month', '--where', 'income_band=high'])).toBe('value,customers,share\n2019-12,1,50\n2023-05,1,50\n(empty),0,0\n')
    expect(await csv(['report', 'fields', 'income_band', '--search', 'ana'])).toBe('value,customers,share\nlow,0,0\nmiddle,0,0\nhigh,1,100\n(empty),0,0\n')
    const unknown = await crm(['report', 'fields', 'nope'])
    expect(unknown.exitCode).toBe(2)
    expect(unknown.stderr).toContain('crm: report fields: no custom field named "nope"')
  })
})

describe('erasure, merge, export', () => {
  test('crm forget erases the custom values too; export --person lists them before', async () => {
    await shop()
    const person = JSON.parse((await ok(['export', '--person', '1'])).stdout) as { custom_fields: unknown[] }
    expect(person.custom_fields).toHaveLength(6)
    expect(person.custom_fields[0]).toEqual({ name: 'children', label: 'Number of children', type: 'number', value: 2 })
    const r = await ok(['forget', '1', '--reason', 'asked', '--yes'])
    expect(r.exitCode).toBe(0)
    expect(rows('select count(*) as n from customer_field_values where customer_id = 1')).toEqual([{ n: 0 }])
    expect(rows('select count(*) as n from customer_field_values where customer_id = 2')).toEqual([{ n: 6 }])
    const audit = rows<{ details: string }>("select details from audit where customer_id = 1 and action = 'add'")
    expect(audit[0]!.details).not.toContain('Crème')
  })

  test('merge keeps the survivor\'s values and fills its empty ones; unmerge puts every value back', async () => {
    await shop()
    // Ed (5) is empty; Дарья (4) has children and favourite; merging 5 into 4 keeps 4's.
    await ok(['edit', '5', '--set', 'children=9', '--set', 'newsletter=no'])
    const before = rows('select customer_id, field_id, value_text, value_key, value_num from customer_field_values order by 1, 2')
    const m = await ok(['merge', '4', '5', '--yes'])
    expect(m.stdout).toBe('1\n')
    expect(await csv(['query', '--fields', 'id,children,newsletter,favourite', '--where', 'children is not empty', '--sort', 'id'])).toBe(
      'id,children,newsletter,favourite\n1,2,true,Crème brûlée\n2,0,false,creme BRULEE tart\n3,5,,\n4,1,false,Пельмени\n',
    )
    await ok(['unmerge', '1'])
    expect(rows('select customer_id, field_id, value_text, value_key, value_num from customer_field_values order by 1, 2')).toEqual(before)
  })

  test('export: a column per field (re-imports by name) and X-CRM- properties in vCard', async () => {
    await shop()
    const out = await ok(['export', '--fields', 'first_name,children,income_band,points,newsletter', '--where', 'children>=1'])
    expect(out.stdout).toBe('first_name,children,income_band,points,newsletter\nAna,2,high,12.50,true\nCy,5,high,1200.00,\nДарья,1,,,\n')
    const card = await ok(['export', '--format', 'vcard', '--where', 'children=2'])
    expect(card.stdout).toContain('X-CRM-CHILDREN:2\r\nX-CRM-INCOME-BAND:high\r\nX-CRM-MEMBER-SINCE:2023-05-01\r\nX-CRM-POINTS:12.50\r\nX-CRM-NEWSLETTER:yes\r\nX-CRM-FAVOURITE:Crème brûlée\r\n')
    // The default CSV export carries every field and imports back into the same values.
    const all = file('all.csv', (await ok(['export', '--include-opted-out'])).stdout)
    const other = join(home.dir, 'other.db')
    for (const args of [['field', 'add', 'children', '--type', 'number'], ['field', 'add', 'points', '--type', 'money'], ['import', all]]) {
      const r = await runCrm([...args, '--db', other], home.dir, { env: { CRM_NOW: NOW } })
      expect(r.exitCode, r.stderr).toBe(0)
    }
    expect(queryDb(other, 'select customer_id, field_id, value_num from customer_field_values order by 1, 2')).toEqual(
      rows('select customer_id, field_id, value_num from customer_field_values where field_id in (1, 4) order by 1, 2').map((r) => ({ ...r, field_id: r.field_id === 4 ? 2 : 1 })),
    )
  })
})
