import { accessSync, closeSync, constants, openSync, writeSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import { stringify } from 'csv-stringify/sync'
import { isoNow } from '../clock.js'
import type { Config } from '../config/config.js'
import { normaliseEmail } from '../customers/customerKeys.js'
import type { CrmDb } from '../db/openDb.js'
import { CrmError } from '../errors.js'
import { suppressionChecker } from '../privacy/suppressionHash.js'
import { interactionFromRecord, npsFromRecord, purchaseFromRecord, type ActivityContext } from './activityRows.js'
import { customerResolver, describeRef, interactionWriter, npsWriter, purchaseWriter } from './activityWriter.js'
import { customerFromRecord, type FieldError } from './customerRow.js'
import { customerWriter, type OnConflict } from './customerWriter.js'
import type { ImportType } from './headerAliases.js'
import { buildMapping, describeMapping, detectType, parseMapOptions } from './headerMap.js'
import { detectDelimiter, openInput } from './openInput.js'
import { containsCardNumber, phoneToE164 } from './parse/fields.js'
import type { DateOrder } from './parse/dates.js'
import { readRecords, type CsvRecord } from './readRecords.js'

export interface ImportOptions {
  type?: ImportType
  encoding?: string
  delimiter?: string
  map?: string[]
  dateFormat?: DateOrder
  onConflict?: OnConflict
  skipInvalid?: boolean
  dryRun?: boolean
  keepUnmatched?: boolean
  /** Where --skip-invalid writes rejected rows; default beside the input file. */
  rejectsPath?: string
  onProgress?: (bytesRead: number, totalBytes: number) => void
}

export interface RowError {
  line: number
  field: string
  reason: string
}

export interface ImportSummary {
  file: string
  type: ImportType
  format: string
  encoding: string
  delimiter: string
  mapping: string[]
  rows: number
  inserted: number
  updated: number
  unchanged: number
  skipped: number
  rejected: number
  /** NPS answers from people not in the database (kept anonymous with --keep-unmatched). */
  unmatched: number
  /** Rows whose person was erased with `crm forget`: reported, never re-created. */
  suppressed: number
  committed: boolean
  dryRun: boolean
  rejectsFile: string | null
  /** The first errors, in file order; `rejected` counts them all. */
  errors: RowError[]
  seconds: number
}

const MAX_REPORTED_ERRORS = 10

/** Where rejected rows go: beside the input if that folder is writable, else the current folder. */
function defaultRejectsPath(file: string): string {
  const name = basename(file).replace(/\.[^.]*$/, '') + '.rejects.csv'
  try {
    accessSync(dirname(resolve(file)), constants.W_OK)
    return join(dirname(file), name)
  } catch {
    return name
  }
}

/** Card numbers never reach disk, not even in the rejects file. */
function maskCards(value: string): string {
  return containsCardNumber(value) ? value.replace(/\d(?=(?:[ -]?\d){4})/g, '•') : value
}

/**
 * Imports one CSV file in a single transaction. With any invalid row and without
 * `skipInvalid`, nothing is written and the summary lists the errors.
 */
export async function importFile(crm: CrmDb, file: string, config: Config, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now()
  const source = openInput(file, options.encoding)
  const delimiter = options.delimiter ?? detectDelimiter(source.sample)
  const fileName = basename(file)
  const records = readRecords(source.open(options.onProgress), delimiter, fileName)
  const first = await records.next()
  if (first.done) throw new CrmError(`${fileName}: the file is empty (a header row is needed)`)
  const header = first.value.fields
  const type = options.type ?? detectType(header)
  const mapping = buildMapping(header, type, parseMapOptions(options.map ?? []))
  if (type === 'customers' && mapping.fields.size === 0 && mapping.addressGroups.length === 0) {
    throw new CrmError(`${fileName}:1: no column is a customer field (header: ${header.slice(0, 6).join(', ')}…); use --map "Header=field"`)
  }
  const now = isoNow()
  const summary: ImportSummary = {
    file, type, format: mapping.profile, encoding: source.encoding, delimiter, mapping: describeMapping(mapping),
    rows: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, unmatched: 0, suppressed: 0,
    committed: false, dryRun: Boolean(options.dryRun), rejectsFile: null, errors: [], seconds: 0,
  }
  const onConflict = options.onConflict ?? 'update'
  const ctx: ActivityContext = {
    dateOrder: options.dateFormat ?? config.date_format,
    timeZone: config.timezone,
    importedAt: now,
    consentSource: `import ${fileName}`,
    baseCurrency: config.currency,
    refOptional: type === 'nps' && options.keepUnmatched,
  }
  const { sqlite } = crm
  let rejectsFd: number | null = null
  const reject = (rec: CsvRecord, errors: FieldError[]) => {
    summary.rejected++
    for (const e of errors) {
      if (summary.errors.length < MAX_REPORTED_ERRORS) summary.errors.push({ line: rec.line, field: e.field, reason: e.reason })
    }
    if (options.skipInvalid && !options.dryRun) {
      if (rejectsFd === null) {
        summary.rejectsFile = options.rejectsPath ?? defaultRejectsPath(file)
        rejectsFd = openSync(summary.rejectsFile, 'w', 0o600)
        writeSync(rejectsFd, stringify([[...header, 'crm_line', 'crm_error']]))
      }
      const reason = errors.map((e) => `${e.field}: ${e.reason}`).join('; ')
      writeSync(rejectsFd, stringify([[...rec.fields.map(maskCards), String(rec.line), maskCards(reason)]]))
    }
  }

  const writeRow = rowWriter(type, sqlite, config, now, onConflict, options, summary, mapping, ctx)
  // One transaction for the whole file: all or nothing. IMMEDIATE takes the write lock
  // now, so a second importer waits here (busy timeout) rather than failing mid-way.
  sqlite.exec('BEGIN IMMEDIATE')
  try {
    for await (const rec of records) {
      summary.rows++
      if (rec.fields.length > header.length && rec.fields.slice(header.length).some((f) => f !== '')) {
        reject(rec, [{ field: '(row)', reason: `${rec.fields.length} fields but the header has ${header.length} (a stray delimiter or quote?)` }])
        continue
      }
      const errors = writeRow(rec, summary.rejected > 0 && !options.skipInvalid)
      if (errors) reject(rec, errors)
    }
    const failed = summary.rejected > 0 && !options.skipInvalid
    if (failed || options.dryRun) {
      sqlite.exec('ROLLBACK')
    } else {
      sqlite
        .prepare('insert into audit (at, action, details, created_at, updated_at) values (?, ?, ?, ?, ?)')
        .run(now, 'import', JSON.stringify({ file: fileName, type, inserted: summary.inserted, updated: summary.updated, rejected: summary.rejected }), now, now)
      sqlite.exec('COMMIT')
      summary.committed = true
    }
  } catch (err) {
    if (sqlite.inTransaction) sqlite.exec('ROLLBACK')
    throw err
  } finally {
    if (rejectsFd !== null) closeSync(rejectsFd)
  }
  summary.seconds = Math.round((performance.now() - started) / 10) / 100
  return summary
}

/** Builds the per-row step for one import type; returns errors for a rejected row. */
function rowWriter(
  type: ImportType,
  sqlite: CrmDb['sqlite'],
  config: Config,
  now: string,
  onConflict: OnConflict,
  options: ImportOptions,
  summary: ImportSummary,
  mapping: ReturnType<typeof buildMapping>,
  ctx: ActivityContext,
): (rec: CsvRecord, validateOnly: boolean) => FieldError[] | null {
  const count = (outcome: 'inserted' | 'updated' | 'unchanged' | 'skipped') => summary[outcome]++
  if (type === 'customers') {
    const writer = customerWriter(sqlite, config.country, now)
    const suppressed = suppressionChecker(sqlite)
    return (rec, validateOnly) => {
      const input = customerFromRecord(mapping, rec.fields, ctx)
      if (Array.isArray(input)) return input
      if (suppressed) {
        const phone = input.values.phone ? phoneToE164(input.values.phone, input.values.country ?? config.country) : null
        if (suppressed(normaliseEmail(input.values.email), phone)) {
          summary.suppressed++
          return [{ field: 'email', reason: 'this person asked to be forgotten (crm forget); not re-created' }]
        }
      }
      if (validateOnly) return null
      const outcome = writer.write(input, onConflict)
      if (outcome.kind === 'conflict') return [{ field: 'email', reason: `customer ${outcome.id} already exists (--on-conflict error)` }]
      count(outcome.kind)
      return null
    }
  }
  const resolveCustomer = customerResolver(sqlite)
  const unknown = (ref: Parameters<typeof describeRef>[0]): FieldError[] => [
    { field: ref.externalId ? 'customer_external_id' : 'customer_email', reason: `no customer ${describeRef(ref)} (import the customers first)` },
  ]
  const tally = (outcome: ReturnType<ReturnType<typeof purchaseWriter>>): FieldError[] | null => {
    if (outcome === 'conflict') return [{ field: '(row)', reason: 'already imported (--on-conflict error)' }]
    count(outcome)
    return null
  }
  if (type === 'purchases') {
    const write = purchaseWriter(sqlite, now)
    return (rec, validateOnly) => {
      const p = purchaseFromRecord(mapping, rec.fields, ctx)
      if (Array.isArray(p)) return p
      const id = resolveCustomer(p.ref)
      if (id === undefined) return unknown(p.ref)
      return validateOnly ? null : tally(write(id, p, onConflict))
    }
  }
  if (type === 'interactions') {
    const write = interactionWriter(sqlite, now)
    return (rec, validateOnly) => {
      const i = interactionFromRecord(mapping, rec.fields, ctx)
      if (Array.isArray(i)) return i
      const id = resolveCustomer(i.ref)
      if (id === undefined) return unknown(i.ref)
      return validateOnly ? null : tally(write(id, i, onConflict))
    }
  }
  const write = npsWriter(sqlite, now)
  return (rec, validateOnly) => {
    const a = npsFromRecord(mapping, rec.fields, ctx)
    if (Array.isArray(a)) return a
    const hasRef = a.ref.email || a.ref.externalId
    const id = hasRef ? resolveCustomer(a.ref) : undefined
    if (id === undefined) {
      summary.unmatched++
      if (!options.keepUnmatched) return unknown(a.ref).map((e) => ({ ...e, reason: `${e.reason.replace(' (import the customers first)', '')} (--keep-unmatched keeps the answer anonymously)` }))
    }
    return validateOnly ? null : tally(write(id ?? null, a, onConflict))
  }
}
