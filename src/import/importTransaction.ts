import type { ControlledTransaction } from 'kysely'
import type { CrmDb } from '../db/openDb.js'
import { insertRows, takeWriterLock } from '../db/dialect.js'
import { catchUpCustomerTotals, deferCustomerTotals, type DeferredTotals } from '../db/customerTotals.js'
import { catchUpSearchIndex, deferSearchIndex, indexSearchChunk, type DeferredSearchIndex } from '../db/searchIndex.js'
import type { Database } from '../db/schema.js'
import { CrmError } from '../errors.js'
import { loadSuppressionChecker, suppressionChecker } from '../privacy/suppressionHash.js'
import { startBulkLoad, type BulkLoad } from './bulkLoad.js'
import { sqliteCustomerStore, type CustomerStore } from './customerWriter.js'
import { pgInteractionStore, pgNpsStore, pgPurchaseStore } from './pgActivityStore.js'
import { pgCustomerStore } from './pgCustomerStore.js'
import type { CheckedRow } from './validateFile.js'
import { pgFieldValueSink, sqliteFieldValueSink, type FieldValueSink } from '../fields/importFieldValues.js'

type SuppressionCheck = ((email: string | null, phoneE164: string | null) => boolean) | null

/** The page cache an import works with, in KiB. */
export const IMPORT_CACHE_KIB = 65536

/**
 * The one transaction of an import, per dialect. SQLite writes row by row through
 * prepared statements; PostgreSQL loads what a batch can match, lets the same writer run
 * against that cache, and writes the batch as multi-row statements (`afterBatch`).
 */
export interface ImportTransaction {
  begin(): Promise<void>
  /**
   * `bulk`: the caller allows a bulk load (SQLite, when the customers table is empty: its
   * indexes are built after the rows; src/import/bulkLoad.ts).
   */
  customerStore(options?: { bulk?: boolean }): CustomerStore
  /** PostgreSQL only: purchases through a per-batch cache (null on SQLite: prepared statements). */
  purchaseStore(now: string): ReturnType<typeof pgPurchaseStore> | null
  /** PostgreSQL only, like purchaseStore: contacts and NPS answers through a per-batch cache. */
  interactionStore(now: string): ReturnType<typeof pgInteractionStore> | null
  npsStore(now: string): ReturnType<typeof pgNpsStore> | null
  suppressionChecker(): Promise<SuppressionCheck>
  /** Custom field values of imported customers (written after the batch's customers). */
  fieldValueSink(now: string): FieldValueSink
  /** `customerIds`: stored customers a customer row may be merged into (import --dedupe, PostgreSQL). */
  beforeBatch(rows: CheckedRow[], customerIds?: number[]): Promise<void>
  afterBatch(): Promise<void>
  /**
   * Work that would otherwise wait for the commit, done a small piece at a time while the
   * writer waits for the next batch (SQLite: the next rows into the search index).
   * Returns false when there is none left for now.
   */
  whileWaiting(): boolean
  /** Writes the audit row (at, action, details, created_at, updated_at) and commits. */
  commit(audit: string[]): Promise<void>
  rollback(): Promise<void>
}

const AUDIT_COLUMNS = ['at', 'action', 'details', 'created_at', 'updated_at']

export function importTransaction(crm: CrmDb): ImportTransaction {
  if (crm.kind === 'sqlite') {
    const { sqlite } = crm
    let bulk: BulkLoad | null = null
    // The new rows enter the search index in chunks while the writer waits for the
    // validation worker, and the rest in one statement at the end: not one trigger run each.
    let search: DeferredSearchIndex | null = null
    // New purchase lines reach customer_totals in one pass at the end, not one trigger run each.
    let totals: DeferredTotals | null = null
    return {
      // IMMEDIATE takes the write lock now, so a second importer waits here (busy timeout).
      begin: async () => {
        // A small page cache thrashes once indexes outgrow it (a 1M-row import spent most of
        // its time re-reading index pages); 64 MB is memory, not a promise to use it.
        sqlite.pragma(`cache_size = -${IMPORT_CACHE_KIB}`)
        sqlite.exec('BEGIN IMMEDIATE')
        search = deferSearchIndex(sqlite)
        totals = deferCustomerTotals(sqlite)
      },
      customerStore(options) {
        const store = sqliteCustomerStore(sqlite)
        bulk = options?.bulk ? startBulkLoad(sqlite, store) : null
        return bulk?.store ?? store
      },
      purchaseStore: () => null,
      interactionStore: () => null,
      npsStore: () => null,
      suppressionChecker: async () => suppressionChecker(sqlite),
      fieldValueSink: (now) => sqliteFieldValueSink(sqlite, now),
      beforeBatch: async () => {},
      afterBatch: async () => {},
      whileWaiting: () => indexSearchChunk(sqlite, search),
      async commit(audit) {
        bulk?.finish()
        catchUpSearchIndex(sqlite, search)
        search = null
        catchUpCustomerTotals(sqlite, totals)
        totals = null
        sqlite.prepare(`insert into audit (${AUDIT_COLUMNS.join(', ')}) values (?, ?, ?, ?, ?)`).run(...audit)
        sqlite.exec('COMMIT')
      },
      rollback: async () => {
        search = null // the rollback undoes the deferrals (the search index's temp triggers included)
        totals = null
        if (sqlite.inTransaction) sqlite.exec('ROLLBACK')
      },
    }
  }
  let trx: ControlledTransaction<Database> | null = null
  let customers: ReturnType<typeof pgCustomerStore> | null = null
  let purchases: ReturnType<typeof pgPurchaseStore> | null = null
  let interactions: ReturnType<typeof pgInteractionStore> | null = null
  let answers: ReturnType<typeof pgNpsStore> | null = null
  let fieldValues: FieldValueSink | null = null
  const open = () => {
    if (!trx) throw new CrmError('import transaction not started')
    return trx
  }
  return {
    async begin() {
      trx = await crm.db.startTransaction().execute()
      await takeWriterLock(trx)
    },
    customerStore() {
      customers = pgCustomerStore(open())
      return customers.store
    },
    purchaseStore(now) {
      purchases = pgPurchaseStore(open(), now)
      return purchases
    },
    interactionStore(now) {
      interactions = pgInteractionStore(open(), now)
      return interactions
    },
    npsStore(now) {
      answers = pgNpsStore(open(), now)
      return answers
    },
    suppressionChecker: () => loadSuppressionChecker(open()),
    fieldValueSink(now) {
      fieldValues = pgFieldValueSink(open, now)
      return fieldValues
    },
    async beforeBatch(rows, customerIds = []) {
      if (customers) await customers.load(rows.flatMap((r) => (r.row?.kind === 'customers' ? [r.row.value] : [])), customerIds)
      if (interactions) await interactions.load(rows.flatMap((r) => (r.row?.kind === 'interactions' ? [r.row.value] : [])))
      if (answers) await answers.load(rows.flatMap((r) => (r.row?.kind === 'nps' ? [r.row.value] : [])))
      if (purchases) {
        const batch = rows.flatMap((r) => (r.row?.kind === 'purchases' ? [r.row.value] : []))
        await purchases.load(batch.map((p) => p.ref), batch.flatMap((p) => (p.order_id != null ? [p.order_id] : [])))
      }
    },
    async afterBatch() {
      const realIds = await customers?.flush()
      await fieldValues?.flush(realIds)
      await purchases?.flush()
      await interactions?.flush()
      await answers?.flush()
    },
    whileWaiting: () => false,
    async commit(audit) {
      await insertRows(open(), 'audit', AUDIT_COLUMNS, [audit])
      await open().commit().execute()
      trx = null
    },
    async rollback() {
      if (!trx) return
      const t = trx
      trx = null
      await t.rollback().execute()
    },
  }
}
