import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { addCustomer } from '../../src/customers/addCustomer.js'
import { openSqliteDb as openDb } from '../../src/db/openDb.js'
import { CrmError } from '../../src/errors.js'
import { customerIdsMatching } from '../../src/query/customerFilter.js'
import { FilterSpec } from '../../src/query/filterSpec.js'
import { queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

const HOSTILE = ['=1+1', '=HYPERLINK("http://x")', '+SUM(A1)', '-2', '@cmd', '"', '""', ',', ';', "O'Brien", 'a\nb', 'a\r\nb', '\t', "'; drop table customers; --", '%_\\', '\u202Eevil', '😀👩‍👩‍👧', 'Nguyễn', 'ﷺ', '\u0000'.replace('\u0000', '\u2028'), 'BEGIN:VCARD']
/** Any text a person might type or paste: Unicode, quotes, delimiters, newlines, formulas, long. */
const field = fc
  .oneof(
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.constantFrom(...HOSTILE),
    fc.array(fc.constantFrom(...HOSTILE), { minLength: 1, maxLength: 5 }).map((a) => a.join(' x ')),
    fc.string({ unit: 'grapheme-ascii', minLength: 2000, maxLength: 5000 }),
  )
  // crm import trims cells and an empty cell is "no value": generate what survives that by design.
  .map((s) => s.trim())
  .filter((s) => s.length > 0)

const TEXT_FIELDS = ['first_name', 'last_name', 'company', 'city', 'street', 'notes'] as const
const record = fc.record(Object.fromEntries(TEXT_FIELDS.map((f) => [f, field])) as Record<(typeof TEXT_FIELDS)[number], fc.Arbitrary<string>>)

test('any customer record survives crm export --format csv --raw → crm import unchanged', { timeout: 240_000 }, async () => {
  let run = 0
  await fc.assert(
    fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 15 }), async (people) => {
      run++
      const source = join(home.dir, `source${run}.db`)
      const crm = await openDb(source)
      try {
        for (const [i, p] of people.entries()) {
          await addCustomer(crm.db, { values: { ...p, external_id: `X${i}` }, at: '2026-01-01T00:00:00.000Z', defaultCountry: 'US', allowDuplicate: true })
        }
      } finally {
        await crm.close()
      }
      const exported = await runCrm(['--db', source, 'export', '--format', 'csv', '--raw', '--include-opted-out'], home.dir)
      expect(exported.exitCode, exported.stderr).toBe(0)
      const file = join(home.dir, `export${run}.csv`)
      writeFileSync(file, exported.stdout)
      const target = join(home.dir, `target${run}.db`)
      const imported = await runCrm(['--db', target, 'import', file], home.dir)
      expect(imported.exitCode, imported.stderr).toBe(0)
      const cols = ['external_id', ...TEXT_FIELDS].join(', ')
      const before = queryDb(source, `select ${cols} from customers order by external_id`)
      const after = queryDb(target, `select ${cols} from customers order by external_id`)
      expect(after).toEqual(before)
    }),
    { numRuns: 6, seed: 11 },
  )
})

test('hostile strings are stored and returned as given', async () => {
  const crm = await openDb(join(home.dir, 'h.db'))
  try {
    await fc.assert(
      fc.asyncProperty(record, async (p) => {
        const id = await addCustomer(crm.db, { values: p, at: '2026-01-01T00:00:00.000Z', defaultCountry: 'US', allowDuplicate: true })
        const row = await crm.db.selectFrom('customers').select([...TEXT_FIELDS]).where('id', '=', id).executeTakeFirstOrThrow()
        expect(row).toEqual(p)
        // And a search for a stored value runs (LIKE wildcards and quotes are data, not syntax).
        const spec = FilterSpec.parse({ search: p.first_name.slice(0, 30).trim() || 'x' })
        await crm.db.selectFrom('customers').select('id').where('id', 'in', customerIdsMatching(crm.db, spec, { now: new Date('2026-06-01T00:00:00Z'), config: { currency: 'USD', timezone: 'UTC' } })).execute()
      }),
      { numRuns: 200, seed: 12 },
    )
  } finally {
    await crm.close()
  }
})

const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(...HOSTILE)).filter((t) => t.trim().length > 0)
const date = fc.date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
const spec = fc.record(
  {
    gender: fc.constantFrom('f', 'm', 'x'),
    ageMin: fc.nat(150),
    ageMax: fc.nat(150),
    birthdayWithin: fc.nat(366),
    city: text,
    region: text,
    postalCode: text,
    country: fc.constantFrom('US', 'DE', 'VN', 'ZZ'),
    territory: text,
    rep: text,
    source: text,
    tags: fc.array(text, { maxLength: 3 }),
    consent: fc.uniqueArray(fc.constantFrom('email', 'mail', 'sms', 'phone'), { maxLength: 4 }),
    search: text,
    days: fc.nat(100_000),
    since: date,
    until: date,
    spentGt: fc.integer(),
    spentLt: fc.integer(),
    ordersGt: fc.nat(),
    bought: text,
    category: text,
    inactiveDays: fc.nat(100_000),
  },
  { requiredKeys: [] },
)

test('every valid filter spec runs through customerIdsMatching without an SQL error', { timeout: 120_000 }, async () => {
  const crm = await openDb(join(home.dir, 'f.db'))
  try {
    await addCustomer(crm.db, { values: { first_name: 'Ana', city: 'Lisboa', birth_date: '1990-02-28' }, at: '2026-01-01T00:00:00.000Z', defaultCountry: 'US' })
    let valid = 0
    await fc.assert(
      fc.asyncProperty(spec, fc.constantFrom('UTC', 'America/New_York', 'Asia/Tehran', 'Pacific/Kiritimati'), async (raw, timezone) => {
        // The spec's own rules: --days or --since/--until, and since before until.
        const shaped: Record<string, unknown> = { ...raw }
        if (shaped.days !== undefined) delete shaped.since, delete shaped.until
        if (raw.since && raw.until && raw.since > raw.until) Object.assign(shaped, { since: raw.until, until: raw.since })
        const parsed = FilterSpec.safeParse(shaped)
        if (!parsed.success) return
        valid++
        try {
          await crm.db
            .selectFrom('customers')
            .select('id')
            .where('id', 'in', customerIdsMatching(crm.db, parsed.data, { now: new Date('2026-03-01T12:00:00Z'), config: { currency: 'EUR', timezone } }))
            .execute()
        } catch (err) {
          if (!(err instanceof CrmError)) throw err
        }
      }),
      { numRuns: 500, seed: 13 },
    )
    expect(valid).toBeGreaterThan(300)
  } finally {
    await crm.close()
  }
})
