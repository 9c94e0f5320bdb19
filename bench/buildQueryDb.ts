/**
 * Builds a benchmark database straight from the generators: one prepared insert per
 * table inside one transaction, indexes dropped during the load and rebuilt after. Fills
 * the same columns the importer fills (folded *_key columns, search_key, email_norm, E.164).
 */
import { existsSync, rmSync } from 'node:fs'
import { openSqliteDb } from '../src/db/openDb.js'
import { customerKeys } from '../src/customers/customerKeys.js'
import { catchUpCustomerTotals, deferCustomerTotals } from '../src/db/customerTotals.js'
import { catchUpSearchIndex, deferSearchIndex } from '../src/db/searchIndex.js'
import { phoneToE164 } from '../src/import/parse/fields.js'
import { generateCustomers, generatePurchases } from './generateData.js'

const CUSTOMER_COLUMNS = [
  'external_id', 'first_name', 'last_name', 'email', 'email_norm', 'phone', 'phone_e164', 'gender', 'birth_date', 'street',
  'city', 'region', 'postal_code', 'country', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'notes',
  'consent_email', 'consent_mail', 'consent_sms', 'consent_phone', 'city_key', 'region_key', 'territory_key',
  'sales_rep_key', 'source_key', 'search_key', 'created_at', 'updated_at',
]
const PURCHASE_COLUMNS = [
  'customer_id', 'purchased_at', 'product', 'category', 'quantity', 'amount_cents', 'currency', 'order_id', 'line', 'created_at', 'updated_at',
]

const nullIfEmpty = (v: string): string | null => (v.trim() === '' ? null : v.trim())

export interface BuildOptions {
  path: string
  customers: number
  purchases: number
  seed: number
  end: string
  currency: string
  log?: (message: string) => void
}

export async function buildQueryDb(o: BuildOptions): Promise<void> {
  const log = o.log ?? (() => {})
  for (const suffix of ['', '-wal', '-shm']) if (existsSync(o.path + suffix)) rmSync(o.path + suffix)
  const crm = await openSqliteDb(o.path)
  const db = crm.sqlite
  const at = new Date(o.end).toISOString()
  try {
    db.pragma('journal_mode = OFF')
    db.pragma('synchronous = OFF')
    db.pragma('cache_size = -262144')
    const indexes = db
      .prepare(`select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('customers', 'purchases')`)
      .all() as Array<{ name: string; sql: string }>
    for (const ix of indexes) db.exec(`drop index ${ix.name}`)

    const insertCustomer = db.prepare(
      `insert into customers (${CUSTOMER_COLUMNS.join(', ')}) values (${CUSTOMER_COLUMNS.map(() => '?').join(', ')})`,
    )
    const insertTag = db.prepare('insert into tags (name) values (?) on conflict (name) do nothing')
    const tagId = db.prepare('select id from tags where name = ?').pluck()
    const linkTag = db.prepare('insert into customer_tags (customer_id, tag_id) values (?, ?)')
    const insertPurchase = db.prepare(
      `insert into purchases (${PURCHASE_COLUMNS.join(', ')}) values (${PURCHASE_COLUMNS.map(() => '?').join(', ')})`,
    )
    let started = Date.now()
    // The search index and customer_totals are filled in one pass after the rows, as an import
    // fills them: their per-row triggers, with purchases' indexes dropped, would make the
    // totals' distinct-order count scan every purchase for every new line.
    db.exec('begin')
    const search = deferSearchIndex(db)
    const totals = deferCustomerTotals(db)
    const tagIds = new Map<string, number>()
    let id = 0
    for (const c of generateCustomers(o.seed, o.customers)) {
      id++
      const v = c.csv
      const first = nullIfEmpty(v.first_name), last = nullIfEmpty(v.last_name), email = nullIfEmpty(v.email)
      const phone = nullIfEmpty(v.phone), company = nullIfEmpty(v.company), city = nullIfEmpty(v.city)
      const phoneE164 = phone ? phoneToE164(phone, v.country) : null
      const region = nullIfEmpty(v.region), territory = nullIfEmpty(v.territory), rep = nullIfEmpty(v.sales_rep), source = nullIfEmpty(v.source)
      const k = customerKeys({ first_name: first, last_name: last, email, phone, phone_e164: phoneE164, company, city, region, territory, sales_rep: rep, source })
      insertCustomer.run(
        v.external_id, first, last, email, k.email_norm, phone, phoneE164, c.gender, c.birthDate, nullIfEmpty(v.street), city,
        region, nullIfEmpty(v.postal_code), v.country, company, nullIfEmpty(v.job_title), source, territory, rep,
        nullIfEmpty(v.notes), c.consent.email, c.consent.mail, c.consent.sms, c.consent.phone, k.city_key, k.region_key,
        k.territory_key, k.sales_rep_key, k.source_key, k.search_key, at, at,
      )
      for (const t of c.tags) {
        let tid = tagIds.get(t)
        if (tid === undefined) {
          insertTag.run(t)
          tid = tagId.get(t) as number
          tagIds.set(t, tid)
        }
        linkTag.run(id, tid)
      }
    }
    log(`customers: ${o.customers} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    started = Date.now()
    for (const p of generatePurchases(o.seed, o.customers, o.purchases, { end: o.end, currency: o.currency })) {
      insertPurchase.run(p.customerIndex + 1, p.purchasedAt, p.product, p.category, p.quantity, p.amountCents, p.currency, p.orderId, p.line, at, at)
    }
    log(`purchases: ${o.purchases} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    started = Date.now()
    for (const ix of indexes) db.exec(ix.sql)
    log(`indexes: ${indexes.length} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    started = Date.now()
    catchUpSearchIndex(db, search)
    catchUpCustomerTotals(db, totals)
    db.exec('commit')
    log(`search index and customer totals in ${((Date.now() - started) / 1000).toFixed(1)} s`)
    db.pragma('journal_mode = WAL')
  } finally {
    await crm.close()
  }
}
