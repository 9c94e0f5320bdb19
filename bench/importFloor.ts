/**
 * The least any import of the customers file can cost on this machine with the libraries
 * the project must use, measured part by part, with no crm import code around them:
 *
 * 1. csv-parse alone, with crm's options, over the whole file;
 * 2. libphonenumber-js on every phone (numbers already in E.164 skipped, as crm did on 2026-11-23);
 * 3. better-sqlite3 inserting the already-parsed rows into crm's customers table (its schema and
 *    indexes, as migrations make it): one prepared statement, one transaction, no lookups.
 *
 * Each is CPU time on one thread. Perfectly split over every core, the sum over the core count
 * is a floor for the wall time of an import that parses, normalises phones and inserts.
 *
 *   npm run build && node dist/bench/importFloor.js [--file bench/data/c1000000-p10000000/customers.csv]
 *     [--indexes-after] [--search-index bulk|none|triggers]
 *
 * With --indexes-after the customers table's secondary indexes are dropped before the insert
 * and built again after it (timed with it): the cheapest order for a bulk load into an empty table.
 *
 * The search index (migration 0008, an FTS5 trigram index) is part of crm's schema. By default
 * (`bulk`) its triggers are dropped and it is filled after the rows in one statement, the
 * cheapest way found (FTS5 automerge 16, as crm's import sets it), and timed as a fourth part;
 * `none` leaves it empty (what the floor was before the index existed); `triggers` keeps
 * migration 0008's triggers, one run per inserted row (about four times the bulk fill's CPU).
 */
import { createReadStream, mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { parse } from 'csv-parse'
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js'
import { openSqliteDb } from '../src/db/openDb.js'
import { IMPORT_CACHE_KIB } from '../src/import/importTransaction.js'

const E164 = /^\+[1-9]\d{6,14}$/

/**
 * The library's cost per phone, frozen as crm called it when this floor was first measured
 * (2026-11-23): numbers already in E.164 skipped, libphonenumber-js for the rest, nothing
 * remembered. crm's own phoneToE164 may get faster; the yardstick must not move with it.
 */
function phoneToE164(text: string, defaultCountry: string): string | null {
  const compact = text.replace(/[\s().-]/g, '')
  if (E164.test(compact)) return compact
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode)
  if (!parsed) return null
  return (compact.startsWith('+') ? parsed.isPossible() : parsed.isValid()) ? parsed.number : null
}

const ROOT = resolve(import.meta.dirname, '../..')

function cpuSeconds<T>(fn: () => T): [T, number] {
  const c0 = process.cpuUsage()
  const r = fn()
  const c = process.cpuUsage(c0)
  return [r, (c.user + c.system) / 1e6]
}

async function cpuSecondsAsync<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const c0 = process.cpuUsage()
  const r = await fn()
  const c = process.cpuUsage(c0)
  return [r, (c.user + c.system) / 1e6]
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string', default: join(ROOT, 'bench/data/c1000000-p10000000/customers.csv') },
      'indexes-after': { type: 'boolean', default: false },
      'search-index': { type: 'string', default: 'bulk' },
    },
  })
  const file = values.file!
  const search = values['search-index']!
  if (!['bulk', 'none', 'triggers'].includes(search)) throw new Error(`--search-index: bulk, none or triggers, not "${search}"`)
  const [rows, parseCpu] = await cpuSecondsAsync(async () => {
    const out: string[][] = []
    const parser = createReadStream(file).pipe(parse({ delimiter: ',', bom: true, trim: true, relax_quotes: true, relax_column_count: true, max_record_size: 16 << 20 }))
    for await (const r of parser as AsyncIterable<string[]>) out.push(r)
    return out
  })
  const header = rows.shift()!
  const col = (name: string) => header.indexOf(name)
  const [phone, country] = [col('phone'), col('country')]
  const [e164, phoneCpu] = cpuSeconds(() => rows.map((r) => (r[phone] ? phoneToE164(r[phone]!, r[country] || 'US') : null)))

  const dir = mkdtempSync(join(tmpdir(), 'crm-floor-'))
  try {
    const crm = await openSqliteDb(join(dir, 'floor.db'))
    // The page cache crm's import works with (every connection had it until issue 18 kept it to imports).
    crm.sqlite.pragma(`cache_size = -${IMPORT_CACHE_KIB}`)
    // The file's plain text columns, as named in the table, plus the keys crm stores.
    const plain = ['external_id', 'first_name', 'last_name', 'email', 'phone', 'street', 'city', 'region', 'postal_code', 'country', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'notes']
    const cols = [...plain, 'gender', 'email_norm', 'phone_e164', 'city_key', 'region_key', 'search_key']
    const insert = crm.sqlite.prepare(`insert into customers (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`)
    const idx = plain.map(col)
    const [gender, email, first, last, city, region] = ['gender', 'email', 'first_name', 'last_name', 'city', 'region'].map(col) as number[]
    const seen = new Set<string>()
    const indexes = values['indexes-after']
      ? (crm.sqlite.prepare(`select name, sql from sqlite_master where type = 'index' and tbl_name = 'customers' and sql is not null`).all() as Array<{ name: string; sql: string }>)
      : []
    for (const ix of indexes) crm.sqlite.exec(`drop index ${ix.name}`)
    if (search !== 'triggers') {
      for (const t of ['insert', 'update', 'delete']) crm.sqlite.exec(`drop trigger customers_search_${t}`)
      crm.sqlite.exec(`insert into customer_search(customer_search, rank) values ('automerge', 16)`)
    }
    const [, insertCpu] = cpuSeconds(() =>
      crm.sqlite.transaction(() => {
        rows.forEach((r, i) => {
          const ext = r[idx[0]!]
          if (!ext || seen.has(ext)) return // external_id is unique
          seen.add(ext)
          const g = r[gender!]?.toLowerCase()
          insert.run(
            ...idx.map((j) => r[j] || null),
            g === 'f' || g === 'm' || g === 'x' ? g : null,
            r[email!]?.toLowerCase() || null,
            e164[i] ?? null,
            r[city!]?.toLowerCase() || null,
            r[region!]?.toLowerCase() || null,
            `${r[first!]} ${r[last!]} ${r[email!]}`.toLowerCase(),
          )
        })
        for (const ix of indexes) crm.sqlite.exec(ix.sql)
      })(),
    )
    const searchColumns = 'search_key, city_key, street, postal_code, notes'
    const [, searchCpu] =
      search === 'bulk'
        ? cpuSeconds(() => crm.sqlite.exec(`insert into customer_search(rowid, ${searchColumns}) select id, ${searchColumns} from customers`))
        : [null, 0]
    await crm.close()
    const cores = availableParallelism()
    const total = parseCpu + phoneCpu + insertCpu + searchCpu
    console.log(`${rows.length.toLocaleString('en')} rows of ${file}`)
    console.log(`csv-parse alone: ${parseCpu.toFixed(1)} s CPU`)
    console.log(`phone numbers (libphonenumber-js, E.164 skipped): ${phoneCpu.toFixed(1)} s CPU`)
    const how = indexes.length ? `its ${indexes.length} indexes built after the rows` : 'its indexes'
    const triggers = search === 'triggers' ? ', the search index by its triggers' : ''
    console.log(`better-sqlite3 insert into crm's customers table (${cols.length} columns, ${how}${triggers}): ${insertCpu.toFixed(1)} s CPU`)
    if (search === 'bulk') console.log(`search index (FTS5 trigram) filled after the rows, one statement: ${searchCpu.toFixed(1)} s CPU`)
    if (search === 'none') console.log('search index: left empty (--search-index none)')
    console.log(`sum: ${total.toFixed(1)} s CPU; spread perfectly over ${cores} cores: ${(total / cores).toFixed(1)} s wall at best`)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

await main()
