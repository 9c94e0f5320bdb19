import { accessSync, closeSync, constants, openSync, writeSync } from 'node:fs'
import { basename, dirname, join, resolve } from 'node:path'
import type BetterSqlite3 from 'better-sqlite3'
import { stringify } from 'csv-stringify/sync'
import { isoNow } from '../clock.js'
import type { Config } from '../config/config.js'
import { ANALYZE_AFTER_ROWS, refreshStatistics } from '../db/dialect.js'
import type { CrmDb } from '../db/openDb.js'
import { CrmError } from '../errors.js'
import { importTransaction, type ImportTransaction } from './importTransaction.js'
import type { ActivityContext, CustomerRef, InteractionInput, NpsInput, PurchaseInput } from './activityRows.js'
import { customerResolver, describeRef, interactionWriter, npsWriter, purchaseWriter, type ActivityOutcome } from './activityWriter.js'
import type { FieldError } from './customerRow.js'
import { customerWriter, type DuplicateMatch, type DuplicatePolicy, type OnConflict, type OnDuplicate } from './customerWriter.js'
import type { ImportType } from './headerAliases.js'
import { parseMapOptions } from './headerMap.js'
import { containsCardNumber } from './parse/fields.js'
import type { DateOrder } from './parse/dates.js'
import { COLUMN, customerInput, finishPhone, mergeExtra } from './customerColumns.js'
import type { CheckedRow, PreparedCustomer, ValidRow } from './validateFile.js'
import { validationStream } from './validationStream.js'
import { fieldColumns, rowFieldValues, type FieldColumn } from '../fields/importFieldValues.js'
import { listFields } from '../fields/fieldDefinitions.js'

/** The tables an import of each type writes to. */
const TABLES_OF: Record<ImportType, readonly string[]> = {
  customers: ['customers', 'tags', 'customer_tags'],
  purchases: ['purchases'],
  interactions: ['interactions'],
  nps: ['nps_answers'],
}

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
  /** Look for likely duplicates of new customers with the dedupe scorer. */
  dedupe?: boolean
  onDuplicate?: OnDuplicate
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
  /** Why that encoding: the byte-order mark, valid UTF-8, --encoding, or what the code-page guess read. */
  encodingReason: string
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
  /** With --dedupe: rows that look like an existing customer (first ones; `duplicateCount` counts all). */
  duplicates: Array<{ line: number; action: OnDuplicate } & DuplicateMatch>
  duplicateCount: number
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

type RowWriter = (row: ValidRow, validateOnly: boolean) => FieldError[] | null

/**
 * Imports one file in a single transaction: a validation stage (a worker thread for big
 * files) parses and checks rows while this thread writes them with prepared statements.
 * With any invalid row and without `skipInvalid`, nothing is written and the summary
 * lists the errors.
 */
export async function importFile(crm: CrmDb, file: string, config: Config, options: ImportOptions = {}): Promise<ImportSummary> {
  const started = performance.now()
  const now = isoNow()
  const fileName = basename(file)
  const context: ActivityContext = {
    dateOrder: options.dateFormat ?? config.date_format,
    timeZone: config.timezone,
    importedAt: now,
    consentSource: `import ${fileName}`,
    baseCurrency: config.currency,
    refOptional: Boolean(options.keepUnmatched),
  }
  // Read before the stream starts: an await between its events would change what it reports.
  const definedFields = await listFields(crm.db)
  const tx = importTransaction(crm)
  // While the worker checks the next batch, this thread fills the search index.
  const events = validationStream({
    file,
    type: options.type,
    encoding: options.encoding,
    delimiter: options.delimiter,
    map: [...parseMapOptions(options.map ?? [])],
    context,
    defaultCountry: config.country,
    keepFields: Boolean(options.skipInvalid),
  }, () => tx.whileWaiting())
  const summary: ImportSummary = {
    file, type: 'customers', format: '', encoding: '', encodingReason: '', delimiter: '', mapping: [],
    rows: 0, inserted: 0, updated: 0, unchanged: 0, skipped: 0, rejected: 0, unmatched: 0, suppressed: 0,
    committed: false, dryRun: Boolean(options.dryRun), rejectsFile: null, errors: [], duplicates: [], duplicateCount: 0, seconds: 0,
  }
  let header: string[] = []
  let rejectsFd: number | null = null
  const reject = (rec: CheckedRow, errors: FieldError[]) => {
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
      writeSync(rejectsFd, stringify([[...(rec.fields ?? []).map(maskCards), String(rec.line), maskCards(reason)]]))
    }
  }

  // Only --dedupe loads the matcher (and learns its weights from the customers).
  const matcher = options.dedupe ? await import('../dedupe/matcher.js') : null
  const findMatches = matcher?.findMatchesFor ?? null
  let duplicates: DuplicatePolicy | null = null
  let writeRow: RowWriter | null = null
  let currentLine = 0
  let began = false
  try {
    for await (const ev of events) {
      if (ev.event === 'header') {
        Object.assign(summary, { type: ev.type, format: ev.format, encoding: ev.encoding, encodingReason: ev.encodingReason, delimiter: ev.delimiter, mapping: ev.mapping })
        header = ev.header
        // One transaction for the whole file: all or nothing. IMMEDIATE takes the write
        // lock now, so a second importer waits here (busy timeout), not half-way through.
        // On PostgreSQL an advisory lock plays the same part.
        await tx.begin()
        began = true
        if (matcher && findMatches && ev.type === 'customers') {
          // PostgreSQL reads the customers now, under the writer lock (it cannot read them
          // later, synchronously, row by row); SQLite still loads them at the first new row.
          if (crm.kind === 'postgres') await matcher.loadMatcher(crm)
          duplicates = duplicatePolicy(crm, options.onDuplicate ?? 'keep', findMatches)
        }
        const customFields = ev.type === 'customers' && definedFields.length ? fieldColumns(ev.header, definedFields, parseMapOptions(options.map ?? [])) : []
        for (const c of customFields) summary.mapping.push(`  "${c.header}" → field ${c.field.name}`)
        writeRow = await rowWriter(ev.type, crm, tx, config, now, options, summary, () => currentLine, duplicates, customFields)
        continue
      }
      options.onProgress?.(ev.bytesRead, ev.totalBytes)
      for (const rec of ev.rows) if (rec.row?.kind === 'customers') finishPhone(rec.row.value)
      // PostgreSQL loads a batch's customers up front, so a --on-duplicate merge target must be known now.
      const mergeTargets = crm.kind === 'postgres' && duplicates?.action === 'merge' ? duplicateIds(duplicates, ev.rows) : undefined
      await tx.beforeBatch(ev.rows, mergeTargets)
      for (const rec of ev.rows) {
        summary.rows++
        if (rec.errors) {
          reject(rec, rec.errors)
          continue
        }
        currentLine = rec.line
        const errors = writeRow!(rec.row!, summary.rejected > 0 && !options.skipInvalid)
        if (errors) reject(rec, errors)
      }
      await tx.afterBatch()
    }
    const failed = summary.rejected > 0 && !options.skipInvalid
    if (failed || options.dryRun) {
      await tx.rollback()
    } else {
      await tx.commit(
        [now, 'import', JSON.stringify({ file: fileName, type: summary.type, inserted: summary.inserted, updated: summary.updated, rejected: summary.rejected }), now, now],
      )
      summary.committed = true
      if (summary.inserted + summary.updated >= ANALYZE_AFTER_ROWS) await refreshStatistics(crm.db, TABLES_OF[summary.type])
    }
  } catch (err) {
    if (began) await tx.rollback()
    throw err
  } finally {
    if (rejectsFd !== null) closeSync(rejectsFd)
  }
  summary.seconds = Math.round((performance.now() - started) / 10) / 100
  return summary
}

/** Builds the per-row write step for one import type; returns errors for a rejected row. */
async function rowWriter(
  type: ImportType,
  crm: CrmDb,
  tx: ImportTransaction,
  config: Config,
  now: string,
  options: ImportOptions,
  summary: ImportSummary,
  line: () => number,
  duplicates: DuplicatePolicy | null,
  customFields: readonly FieldColumn[] = [],
): Promise<RowWriter> {
  const onConflict = options.onConflict ?? 'update'
  const tally = (outcome: ActivityOutcome): FieldError[] | null => {
    if (outcome === 'conflict') return [{ field: '(row)', reason: 'already imported (--on-conflict error)' }]
    summary[outcome]++
    return null
  }
  if (type === 'customers') {
    // --dedupe scores rows against the stored customers through their indexes: no bulk load.
    const writer = customerWriter(tx.customerStore({ bulk: !duplicates }), config.country, now, duplicates ?? undefined)
    const suppressed = await tx.suppressionChecker()
    const fields = customFields.length ? tx.fieldValueSink(now) : null
    const valueOptions = { currency: config.currency, dateOrder: options.dateFormat ?? config.date_format }
    // The values of field columns move out of the row's extra columns into the field.
    const customValues = (p: PreparedCustomer): ReturnType<typeof rowFieldValues> => {
      const found = rowFieldValues(customFields, p.extras?.extra ?? {}, valueOptions)
      if (p.extras) p.columns[COLUMN.extra] = mergeExtra(null, p.extras)
      return found
    }
    return (row, validateOnly) => {
      if (row.kind !== 'customers') return null
      const p = row.value
      if (suppressed && suppressed(p.columns[COLUMN.email_norm] ?? null, p.columns[COLUMN.phone_e164] ?? null)) {
        summary.suppressed++
        return [{ field: 'email', reason: 'this person asked to be forgotten (crm forget); not re-created' }]
      }
      // Custom field columns are checked before the row is written, so a bad one writes nothing of it.
      const custom = fields ? customValues(p) : null
      if (custom?.errors.length) return custom.errors
      if (validateOnly) return null
      const outcome = writer.write(p, onConflict)
      if (custom && fields && outcome.kind !== 'conflict' && outcome.kind !== 'skipped') {
        for (const v of custom.values) fields.write(outcome.id, v.field.id, v.value)
      }
      if (outcome.kind === 'conflict') return [{ field: 'email', reason: `customer ${outcome.id} already exists (--on-conflict error)` }]
      summary[outcome.kind]++
      if (outcome.duplicateOf) {
        summary.duplicateCount++
        if (summary.duplicates.length < 50) summary.duplicates.push({ line: line(), action: options.onDuplicate ?? 'keep', ...outcome.duplicateOf })
      }
      return null
    }
  }
  const unknownCustomer = (ref: CustomerRef, hint = ' (import the customers first)'): FieldError[] => [
    { field: ref.externalId ? 'customer_external_id' : 'customer_email', reason: `no customer ${describeRef(ref)}${hint}` },
  ]
  const target = crm.kind === 'postgres' ? pgActivityTarget(type, tx, now) : sqliteActivityTarget(type, crm.sqlite, now)
  return (row, validateOnly) => {
    if (row.kind === 'customers') return null
    const ref = row.value.ref
    const id = ref.email || ref.externalId ? target.resolve(ref) : undefined
    if (id === undefined) {
      // An NPS answer may be kept without its customer; nothing else may.
      if (row.kind !== 'nps') return unknownCustomer(ref)
      summary.unmatched++
      if (!options.keepUnmatched) return unknownCustomer(ref, ' (--keep-unmatched keeps the answer anonymously)')
    }
    return validateOnly ? null : tally(target.write(id ?? null, row.value, onConflict))
  }
}

/** Where an import's purchases, contacts or NPS answers go: its customer lookup and its writer. */
interface ActivityTarget {
  resolve(ref: CustomerRef): number | undefined
  /** `customerId` is null only for an NPS answer kept without its customer. */
  write(customerId: number | null, value: ActivityInput, onConflict: OnConflict): ActivityOutcome
}
type ActivityInput = PurchaseInput | InteractionInput | NpsInput

/** SQLite: prepared statements on the import's connection (src/import/activityWriter.ts). */
function sqliteActivityTarget(type: Exclude<ImportType, 'customers'>, sqlite: BetterSqlite3.Database, now: string): ActivityTarget {
  const resolve = customerResolver(sqlite)
  if (type === 'purchases') {
    const write = purchaseWriter(sqlite, now)
    return { resolve, write: (id, v, c) => write(id!, v as PurchaseInput, c) }
  }
  if (type === 'interactions') {
    const write = interactionWriter(sqlite, now)
    return { resolve, write: (id, v, c) => write(id!, v as InteractionInput, c) }
  }
  const write = npsWriter(sqlite, now)
  return { resolve, write: (id, v, c) => write(id, v as NpsInput, c) }
}

/** PostgreSQL: the same rules through per-batch caches (src/import/pgActivityStore.ts). */
function pgActivityTarget(type: Exclude<ImportType, 'customers'>, tx: ImportTransaction, now: string): ActivityTarget {
  if (type === 'purchases') {
    const store = tx.purchaseStore(now)!
    return { resolve: store.resolve, write: (id, v, c) => store.write(id!, v as PurchaseInput, c) }
  }
  if (type === 'interactions') {
    const store = tx.interactionStore(now)!
    return { resolve: store.resolve, write: (id, v, c) => store.write(id!, v as InteractionInput, c) }
  }
  const store = tx.npsStore(now)!
  return { resolve: store.resolve, write: (id, v, c) => store.write(id, v as NpsInput, c) }
}

type FindMatches = (typeof import('../dedupe/matcher.js'))['findMatchesFor']

/** The stored customers this batch's new rows look like (import --dedupe --on-duplicate merge on PostgreSQL). */
function duplicateIds(policy: DuplicatePolicy, rows: CheckedRow[]): number[] {
  const ids: number[] = []
  for (const r of rows) {
    if (r.row?.kind !== 'customers') continue
    const match = policy.find(r.row.value)
    if (match) ids.push(match.id)
  }
  return ids
}

/** The dedupe scorer, loaded lazily: only `--dedupe` pays for learning its weights. */
function duplicatePolicy(crm: CrmDb, action: OnDuplicate, findMatchesFor: FindMatches): DuplicatePolicy {
  // A row is scored once even when PostgreSQL asks ahead of the write (duplicateIds).
  const found = new WeakMap<PreparedCustomer, DuplicateMatch | null>()
  return {
    action,
    find(p) {
      if (found.has(p)) return found.get(p)!
      const v = customerInput(p).values
      const matches = findMatchesFor(crm, {
        first_name: v.first_name ?? null, last_name: v.last_name ?? null, email: v.email ?? null, phone: v.phone ?? null,
        phone_e164: p.columns[COLUMN.phone_e164] ?? null, birth_date: v.birth_date ?? null, street: v.street ?? null, city: v.city ?? null,
        region: v.region ?? null, postal_code: v.postal_code ?? null,
      })
      const best = matches[0] ?? null
      found.set(p, best)
      return best
    },
  }
}
