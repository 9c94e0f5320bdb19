import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'csv-parse/sync'
import { afterEach, beforeEach, describe, expect, test } from 'vitest'
import type { NewCustomer } from '../../src/db/schema.js'
import { labelRect, labelsPerSheet, TEMPLATES } from '../../src/labels/templates.js'
import { runCrm, tempHome } from '../helpers/runCrm.js'
import { readPdf, type PdfTextItem } from '../labels/readPdf.js'
import { PUBLISHED, publishedRect } from '../labels/published.js'
import { MIXED_CUSTOMERS, seedCustomers } from '../labels/sampleCustomers.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

/** Customer k: every line of the label carries k, so a text piece tells which label it belongs to. */
function numbered(count: number, longEvery = 0): NewCustomer[] {
  return Array.from({ length: count }, (_, i) => {
    const k = i + 1
    const long = longEvery && k % longEvery === 0
    return {
      first_name: 'Person',
      last_name: String(k),
      street: long ? `${k} Long Meadow Lane, Apartment Block C, Unit 1204` : `${k} Elm Street`,
      city: 'Springfield',
      region: 'IL',
      postal_code: String(10000 + k),
      country: 'US',
    }
  })
}

function labelNumber(str: string): number | null {
  const m = /Person (\d+)|^(\d+) |1(\d{4})$/.exec(str.trim())
  return m ? Number(m[1] ?? m[2] ?? m[3]) : null
}

/** Whether a text piece (glyph box from the baseline: ascent 0.93, descent 0.24 em) lies inside a rectangle. */
function inside(it: PdfTextItem, r: { x: number; y: number; width: number; height: number }): boolean {
  const eps = 0.01
  return it.x >= r.x - eps && it.x + it.width <= r.x + r.width + eps && it.y - it.size * 0.93 >= r.y - eps && it.y + it.size * 0.24 <= r.y + r.height + eps
}

async function labelsPdf(args: string[]): Promise<{ r: Awaited<ReturnType<typeof runCrm>>; pdf: Awaited<ReturnType<typeof readPdf>> }> {
  const out = join(home.dir, 'labels.pdf')
  const r = await runCrm(['labels', '--db', home.db, '-o', out, ...args], home.dir)
  expect(r.exitCode, r.stderr).toBe(0)
  return { r, pdf: await readPdf(readFileSync(out)) }
}

describe('crm labels --format pdf', () => {
  test.each(TEMPLATES.map((t) => [t.name, t] as const))('%s: page count, and every address inside its own label', async (name, t) => {
    const perSheet = labelsPerSheet(t)
    const count = perSheet + 3
    await seedCustomers(home.db, numbered(count, 4))
    const { r, pdf } = await labelsPdf(['--template', name])
    expect(pdf.pages).toBe(2)
    expect(r.stderr).toContain(`${count} labels on 2 sheets of ${name}`)
    const expectedPage = t.page.name === 'A4' ? { width: 595.28, height: 841.89 } : { width: 612, height: 792 }
    expect(pdf.pageSizes[0]!.width).toBeCloseTo(expectedPage.width, 1)
    expect(pdf.pageSizes[0]!.height).toBeCloseTo(expectedPage.height, 1)
    const published = PUBLISHED[name]
    const seen = new Set<number>()
    for (const it of pdf.items) {
      const k = labelNumber(it.str)
      expect(k, `unexpected text ${JSON.stringify(it.str)}`).not.toBeNull()
      // Sorted by postal code, so customer k is at position k - 1.
      const rect = published ? publishedRect(published, k! - 1) : labelRect(t, k! - 1)
      expect(it.page, it.str).toBe(Math.floor((k! - 1) / perSheet))
      expect(inside(it, rect), `${JSON.stringify(it.str)} at ${it.x.toFixed(1)},${it.y.toFixed(1)} w ${it.width.toFixed(1)} outside label ${k} of ${name}`).toBe(true)
      seen.add(k!)
    }
    expect(seen.size).toBe(count)
  })

  test('Cyrillic, Vietnamese and Persian names come out as text, Persian right-aligned', async () => {
    await seedCustomers(home.db, MIXED_CUSTOMERS)
    const { pdf } = await labelsPdf(['--template', '5160'])
    const texts = pdf.items.map((i) => i.str)
    // 'پلاک' holds the lam-alef ligature: its letters must not come out swapped (پالک).
    for (const s of ['Иван Петров', 'ул. Тверская, д. 7, кв. 12', 'Москва', 'Nguyễn Thị Lan', '12 Lý Thường Kiệt', 'Hà Nội', 'مریم احمدی', 'تهران', 'خیابان ولیعصر، پلاک', 'José Núñez', 'Müllerstraße 12']) {
      expect(texts).toContain(s)
    }
    // Foreign addresses get a country line; the sender's own (US by default) does not.
    expect(texts).toEqual(expect.arrayContaining(['RUSSIA', 'VIETNAM', 'IRAN', 'GERMANY']))
    expect(texts).not.toContain('UNITED STATES')
    // Right to left: the Persian name ends at the label's right padding, the Russian starts at the left.
    const t = TEMPLATES.find((x) => x.name === '5160')!
    const persian = pdf.items.find((i) => i.str === 'مریم احمدی')!
    const russian = pdf.items.find((i) => i.str === 'Иван Петров')!
    const pos = (it: PdfTextItem) => Array.from({ length: 30 }, (_, i) => labelRect(t, i)).find((r) => inside(it, r))!
    const pr = pos(persian)
    expect(persian.x + persian.width).toBeCloseTo(pr.x + pr.width - t.padding, 0)
    expect(russian.x).toBeCloseTo(pos(russian).x + t.padding, 0)
  })

  test('--start-at uses a partly used sheet; --offset moves everything; --outline still prints the text', async () => {
    await seedCustomers(home.db, numbered(3))
    const t = TEMPLATES.find((x) => x.name === '5160')!
    const { pdf } = await labelsPdf(['--template', '5160', '--start-at', '5', '--outline'])
    const first = pdf.items.find((i) => i.str === 'Person 1')!
    expect(inside(first, labelRect(t, 4))).toBe(true)
    expect(inside(pdf.items.find((i) => i.str === 'Person 3')!, labelRect(t, 6))).toBe(true)
    const moved = await labelsPdf(['--template', '5160', '--offset-x', '2', '--offset-y', '-1.5mm'])
    const m = moved.pdf.items.find((i) => i.str === 'Person 1')!
    const base = (await labelsPdf(['--template', '5160'])).pdf.items.find((i) => i.str === 'Person 1')!
    expect(m.x - base.x).toBeCloseTo((2 * 72) / 25.4, 2)
    expect(m.y - base.y).toBeCloseTo((-1.5 * 72) / 25.4, 2)
  })

  test('printer offsets come from the config when not given', async () => {
    await seedCustomers(home.db, numbered(1))
    const base = (await labelsPdf([])).pdf.items.find((i) => i.str === 'Person 1')!
    expect((await runCrm(['config', 'set', 'label_offset_x', '-1'], home.dir)).exitCode).toBe(0)
    const moved = (await labelsPdf([])).pdf.items.find((i) => i.str === 'Person 1')!
    expect(moved.x - base.x).toBeCloseTo(-72 / 25.4, 2)
  })

  test('a custom sheet', async () => {
    await seedCustomers(home.db, numbered(5))
    const { r, pdf } = await labelsPdf(['--template', 'custom', '--label', '70x36mm', '--grid', '3x8', '--margin', '0,4.5mm', '--page', 'a4'])
    expect(r.stderr).toContain('5 labels on 1 sheet of custom')
    const mm = 72 / 25.4
    const item = pdf.items.find((i) => i.str === 'Person 5')!
    expect(inside(item, { x: 70 * mm, y: 4.5 * mm + 36 * mm, width: 70 * mm, height: 36 * mm })).toBe(true)
  })

  test('a line too long even at 6 pt is wrapped; what still does not fit is reported', async () => {
    const words = Array.from({ length: 80 }, (_, i) => `Word${i}`).join(' ')
    await seedCustomers(home.db, [{ first_name: 'Ann', last_name: 'Long', street: words, city: 'Springfield', region: 'IL', postal_code: '62701', country: 'US' }])
    const { r, pdf } = await labelsPdf(['--template', '5160'])
    expect(r.stderr).toMatch(/crm: warning: #1 Ann Long: does not fit the label even at 6 pt; left out: /)
    const printed = pdf.items.map((i) => i.str).join(' ')
    const leftOut = JSON.parse(`[${/left out: (.*)$/m.exec(r.stderr)![1]}]`) as string[]
    // Everything is either printed or named in the warning.
    for (const w of words.split(' ')) expect(printed.includes(w) || leftOut.join(' ').includes(w), w).toBe(true)
    for (const it of pdf.items) expect(inside(it, labelRect(TEMPLATES[0]!, 0)), it.str).toBe(true)
  })

  test('characters the font cannot draw are reported, not printed silently as boxes', async () => {
    await seedCustomers(home.db, [{ first_name: '宏', last_name: '田中', street: '日本橋室町2-1-1', city: '中央区', region: '東京都', postal_code: '103-0022', country: 'JP' }])
    const { r } = await labelsPdf([])
    expect(r.stderr).toContain('crm: warning: #1 田中 宏: the label font (DejaVu Sans) has no glyph for "〒"')
    expect(r.stderr).toMatch(/no glyph for .*"東".*; it prints as a box/)
  })

  test('--output writes a file only its owner can read', async () => {
    await seedCustomers(home.db, numbered(1))
    await labelsPdf([])
    expect(statSync(join(home.dir, 'labels.pdf')).mode & 0o777).toBe(0o600)
  })

  test('no labels: no PDF at all (not a blank sheet), unless --outline asks for a test sheet', async () => {
    await seedCustomers(home.db, numbered(2))
    const out = join(home.dir, 'none.pdf')
    const r = await runCrm(['labels', '--db', home.db, '--country', 'FR', '-o', out], home.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stderr).toContain('no labels: nothing written')
    expect(existsSync(out)).toBe(false)
    const piped = await runCrm(['labels', '--db', home.db, '--country', 'FR'], home.dir)
    expect(piped.stdout).toBe('')
    const { pdf } = await labelsPdf(['--country', 'FR', '--outline'])
    expect(pdf.pages).toBe(1)
    expect(pdf.items).toEqual([])
  })

  test('PDF goes to stdout when piped', async () => {
    await seedCustomers(home.db, numbered(2))
    const r = await runCrm(['labels', '--db', home.db], home.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout.startsWith('%PDF-')).toBe(true)
  })
})

describe('crm labels: who gets a label', () => {
  const people: NewCustomer[] = [
    { first_name: 'Ok', last_name: 'One', street: '1 Elm St', city: 'Springfield', region: 'IL', postal_code: '62701', country: 'US' },
    { first_name: 'No', last_name: 'Post', street: '2 Elm St', city: 'Springfield', region: 'IL', postal_code: '62702', country: 'US', consent_mail: 'refused' },
    { first_name: 'No', last_name: 'Zip', street: '3 Elm St', city: 'Springfield', region: 'IL', country: 'US' },
    { first_name: 'No', last_name: 'Street', city: 'Berlin', postal_code: '10115', country: 'DE' },
    { first_name: 'Granted', last_name: 'Mail', street: 'Hauptstraße 1', city: 'Berlin', postal_code: '10115', country: 'DE', consent_mail: 'granted' },
  ]

  test('refused post and incomplete addresses are skipped and counted; --show-skipped lists them', async () => {
    await seedCustomers(home.db, people)
    const r = await runCrm(['labels', '--db', home.db, '--format', 'csv'], home.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    const rows = parse(r.stdout, { columns: true }) as Array<Record<string, string>>
    expect(rows.map((x) => x.name)).toEqual(['Ok One', 'Granted Mail'])
    expect(r.stderr).toContain('skipped 3 customers: 1 refused post, 2 incomplete addresses (--show-skipped lists them)')
    const listed = await runCrm(['labels', '--db', home.db, '--format', 'csv', '--show-skipped'], home.dir)
    expect(listed.stderr).toContain('  #2 No Post: refused post\n  #3 No Zip: no postal code\n  #4 No Street: no street\n')
  })

  test('the shared filter flags select customers', async () => {
    await seedCustomers(home.db, people)
    const r = await runCrm(['labels', '--db', home.db, '--format', 'csv', '--country', 'DE', '--show-skipped'], home.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    expect((parse(r.stdout, { columns: true }) as Array<Record<string, string>>).map((x) => x.name)).toEqual(['Granted Mail'])
    expect(r.stderr).toContain('#4 No Street: no street')
    expect(r.stderr).not.toContain('No Zip')
  })

  test('--household: one label per address; sorted by postal code, or by name', async () => {
    await seedCustomers(home.db, [
      { first_name: 'Tom', last_name: 'Smith', street: '9 Oak Ave', city: 'Springfield', region: 'IL', postal_code: '62704', country: 'US' },
      { first_name: 'Ann', last_name: 'Smith', street: '9 Oak Ave.', city: 'SPRINGFIELD', region: 'IL', postal_code: '62704', country: 'US' },
      { first_name: 'Zoe', last_name: 'Adams', street: '1 Pine Rd', city: 'Springfield', region: 'IL', postal_code: '62709', country: 'US' },
      { first_name: 'Bob', last_name: 'Young', street: '5 Ash Ct', city: 'Springfield', region: 'IL', postal_code: '62701', country: 'US' },
    ])
    const byZip = await runCrm(['labels', '--db', home.db, '--format', 'csv'], home.dir)
    expect((parse(byZip.stdout, { columns: true }) as Array<Record<string, string>>).map((x) => x.name)).toEqual(['Bob Young', 'Ann Smith', 'Tom Smith', 'Zoe Adams'])
    const byName = await runCrm(['labels', '--db', home.db, '--format', 'csv', '--sort', 'name'], home.dir)
    expect((parse(byName.stdout, { columns: true }) as Array<Record<string, string>>).map((x) => x.name)).toEqual(['Zoe Adams', 'Ann Smith', 'Tom Smith', 'Bob Young'])
    const households = await runCrm(['labels', '--db', home.db, '--format', 'csv', '--household'], home.dir)
    const rows = parse(households.stdout, { columns: true }) as Array<Record<string, string>>
    expect(rows.map((x) => [x.customer_ids, x.line1])).toEqual([
      ['4', 'Bob Young'],
      ['1 2', 'The Smith household'],
      ['3', 'Zoe Adams'],
    ])
    expect(households.stderr).toContain('3 labels')
  })
})

describe('crm labels --format text and csv', () => {
  test('fixed-width labels: HEIGHT lines each, GAP blank lines between, wrapped by display width', async () => {
    await seedCustomers(home.db, [
      { first_name: 'Thị Lan', last_name: 'Nguyễn', street: '12 Lý Thường Kiệt', city: 'Hà Nội', postal_code: '100000', country: 'VN' },
      { first_name: 'Jane', last_name: 'Roe', street: '1600 Amphitheatre Parkway', city: 'Mountain View', region: 'CA', postal_code: '94043', country: 'US' },
    ])
    const r = await runCrm(['labels', '--db', home.db, '--format', 'text', '--width', '20', '--height', '6', '--gap', '2'], home.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    expect(r.stdout).toBe(
      ['Jane Roe', '1600 Amphitheatre', 'Parkway', 'MOUNTAIN VIEW, CA', '94043', '', '', '', 'Nguyễn Thị Lan', '12 Lý Thường Kiệt', 'Hà Nội', '100000', 'VIETNAM', '', '', '']
        .map((l) => l + '\n')
        .join(''),
    )
  })

  test('the sender’s country (sender.country, else country) gets no country line', async () => {
    await seedCustomers(home.db, [MIXED_CUSTOMERS.find((c) => c.country === 'US')!, MIXED_CUSTOMERS.find((c) => c.country === 'DE')!])
    const lastLines = async () => {
      const r = await runCrm(['labels', '--db', home.db, '--format', 'text', '--gap', '0', '--height', '5'], home.dir)
      expect(r.exitCode, r.stderr).toBe(0)
      return r.stdout
    }
    const atHome = await lastLines()
    expect(atHome).not.toContain('UNITED STATES')
    expect(atHome).toContain('GERMANY')
    await runCrm(['config', 'set', 'country', 'DE'], home.dir)
    const inGermany = await lastLines()
    expect(inGermany).toContain('UNITED STATES')
    expect(inGermany).not.toContain('GERMANY')
    await runCrm(['config', 'set', 'sender.country', 'US'], home.dir)
    const senderInUs = await lastLines()
    expect(senderInUs).not.toContain('UNITED STATES')
    expect(senderInUs).toContain('GERMANY')
  })

  test('text that does not fit the label height is reported', async () => {
    await seedCustomers(home.db, MIXED_CUSTOMERS.filter((c) => c.country === 'IR'))
    const r = await runCrm(['labels', '--db', home.db, '--format', 'text', '--height', '4'], home.dir)
    expect(r.exitCode).toBe(0)
    expect(r.stderr).toContain('crm: warning: #1 مریم احمدی: does not fit in 4 lines of 40 columns; left out: "IRAN"')
    expect(r.stdout.split('\n').length).toBe(4 + 1 + 1)
  })

  test('csv: one row per label, formulas neutralised unless --raw', async () => {
    await seedCustomers(home.db, [{ first_name: '=HYPERLINK("x")', last_name: 'Evil', street: '1 Elm St', city: 'Springfield', region: 'IL', postal_code: '62701', country: 'US' }])
    const r = await runCrm(['labels', '--db', home.db, '--format', 'csv'], home.dir)
    const rows = parse(r.stdout) as string[][]
    expect(rows[0]).toEqual(['customer_ids', 'name', 'line1', 'line2', 'line3', 'postal_code', 'country'])
    expect(rows[1]).toEqual(['1', `'=HYPERLINK("x") Evil`, `'=HYPERLINK("x") Evil`, '1 Elm St', 'SPRINGFIELD, IL 62701', '62701', 'US'])
    const raw = await runCrm(['labels', '--db', home.db, '--format', 'csv', '--raw'], home.dir)
    expect((parse(raw.stdout) as string[][])[1]![1]).toBe('=HYPERLINK("x") Evil')
  })
})

describe('crm labels: usage', () => {
  test('--list-templates shows every sheet', async () => {
    const r = await runCrm(['labels', '--list-templates'], home.dir)
    expect(r.exitCode, r.stderr).toBe(0)
    for (const t of TEMPLATES) expect(r.stdout).toContain(t.name)
    expect(r.stdout).toMatch(/5160\s+Letter\s+2\.625 × 1 in\s+3×10\s+30\s+Avery 5160 address labels\n/)
    expect(r.stdout).toMatch(/L7160\s+A4\s+64 × 38\.1 mm\s+3×7\s+21\s+Avery L7160 mailing labels\n/)
  })

  test.each([
    [['--start-at', '31', '--template', '5160', '--format', 'pdf'], '--start-at: "31" is not a whole number from 1 to 30'],
    [['--outline', '--format', 'text'], '--outline only applies to --format pdf'],
    [['--template', 'custom', '--label', '2x1in'], '--template custom needs --label WxH and --grid CxR'],
    [['--grid', '3x10'], '--grid describes a custom sheet: add --template custom'],
    [['--template', 'nope'], '--template: no template "nope"'],
    [['--format', 'text', '--width', 'wide'], '--width: "wide" is not a whole number'],
    [['--gender', 'q'], '--gender: "q" is not a gender'],
  ])('%j is a usage error', async (args, message) => {
    const r = await runCrm(['labels', '--db', home.db, ...args], home.dir)
    expect(r.exitCode).toBe(2)
    expect(r.stderr).toContain(`crm: ${message}`)
    expect(r.stdout).toBe('')
  })

  test('a file that cannot be written is one clear line', async () => {
    await seedCustomers(home.db, numbered(1))
    mkdirSync(join(home.dir, 'dir.pdf'))
    const r = await runCrm(['labels', '--db', home.db, '-o', join(home.dir, 'dir.pdf')], home.dir)
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toMatch(/^crm: .*dir\.pdf: cannot write/)
  })
})
