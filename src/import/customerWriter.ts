import type BetterSqlite3 from 'better-sqlite3'
import { customerKeys, normaliseEmail } from '../customers/customerKeys.js'
import { CONSENT_CHANNELS } from '../db/schema.js'
import { COLUMN, COLUMNS, customerInput, mergeExtra, VALUE_FIELDS, type Column, type PreparedCustomer } from './customerColumns.js'
import type { CustomerInput } from './customerRow.js'
import { phoneToE164 } from './parse/fields.js'

export type OnConflict = 'update' | 'skip' | 'error'
export type OnDuplicate = 'keep' | 'skip' | 'merge'
export type WriteOutcome = { kind: 'inserted' | 'updated' | 'unchanged' | 'skipped'; id: number; duplicateOf?: DuplicateMatch } | { kind: 'conflict'; id: number }

/** A likely existing customer found by the dedupe scorer (not by equal id or email). */
export interface DuplicateMatch {
  id: number
  score: number
  reasons: string[]
}

/** `crm import --dedupe`: how to look for a likely duplicate, and what to do with one. */
export interface DuplicatePolicy {
  find: (p: PreparedCustomer) => DuplicateMatch | null
  action: OnDuplicate
}

export { COLUMNS } from './customerColumns.js'
export type StoredRow = Record<Column, string | null> & { id: number; forgotten_at: string | null }

/**
 * Where the customer writer reads and writes, synchronously: prepared statements on
 * SQLite, a per-batch cache with pending writes on PostgreSQL (src/import/pgCustomerStore.ts).
 */
export interface CustomerStore {
  byExternalId(externalId: string): StoredRow | undefined
  /** The lowest-id customer with this normalised email. */
  byEmail(emailNorm: string): StoredRow | undefined
  byId(id: number): StoredRow | undefined
  /** Inserts COLUMNS' values; returns the new id. */
  insert(values: Array<string | null>, now: string): number
  update(id: number, values: Array<string | null>, now: string): void
  /** Links a tag (made if new); true when the link is new. */
  linkTag(customerId: number, name: string): boolean
}

/** Prepared statements (Kysely prepares every query afresh, too slow for a million rows). */
export function sqliteCustomerStore(sqlite: BetterSqlite3.Database): CustomerStore {
  const byExternalId = sqlite.prepare('select * from customers where external_id = ?')
  const byEmail = sqlite.prepare('select * from customers where email_norm = ? order by id limit 1')
  const byId = sqlite.prepare('select * from customers where id = ?')
  const insert = sqlite.prepare(
    `insert into customers (${COLUMNS.join(', ')}, created_at, updated_at) values (${COLUMNS.map(() => '?').join(', ')}, ?, ?)`,
  )
  const update = sqlite.prepare(`update customers set ${COLUMNS.map((c) => `${c} = ?`).join(', ')}, updated_at = ? where id = ?`)
  const insertTag = sqlite.prepare('insert into tags (name) values (?) on conflict (name) do nothing')
  const tagId = sqlite.prepare('select id from tags where name = ?').pluck()
  const linkTag = sqlite.prepare('insert into customer_tags (customer_id, tag_id) values (?, ?) on conflict do nothing')
  const tagCache = new Map<string, number>()
  return {
    byExternalId: (x) => byExternalId.get(x) as StoredRow | undefined,
    byEmail: (x) => byEmail.get(x) as StoredRow | undefined,
    byId: (x) => byId.get(x) as StoredRow | undefined,
    insert: (values, now) => Number(insert.run(...values, now, now).lastInsertRowid),
    update: (id, values, now) => void update.run(...values, now, id),
    linkTag(customerId, name) {
      let id = tagCache.get(name)
      if (id === undefined) {
        insertTag.run(name)
        id = tagId.get(name) as number
        tagCache.set(name, id)
      }
      return linkTag.run(customerId, id).changes > 0
    },
  }
}

/**
 * Writes imported customers through a store. Matches by external id, else normalised
 * email; a non-empty cell replaces the stored value, an empty cell never erases one, and
 * a row that changes nothing leaves the record (and its updated_at) alone.
 */
export function customerWriter(store: CustomerStore, defaultCountry: string, now: string, duplicates?: DuplicatePolicy) {
  const byExternalId = { get: store.byExternalId }
  const byEmail = { get: store.byEmail }
  const byId = { get: store.byId }

  function findExisting(externalId: string | null, email: string | null): StoredRow | undefined {
    if (externalId) {
      const row = byExternalId.get(externalId) as StoredRow | undefined
      if (row) return row
    }
    if (!email) return undefined
    const row = byEmail.get(email) as StoredRow | undefined
    // Same email, different external id: two people sharing an address (a couple, a family).
    if (row && externalId && row.external_id && row.external_id !== externalId) return undefined
    return row
  }

  function merged(stored: StoredRow | undefined, input: CustomerInput): Record<Column, string | null> {
    const row = {} as Record<Column, string | null>
    for (const c of COLUMNS) row[c] = stored ? stored[c] : null
    for (const f of VALUE_FIELDS) {
      const value = input.values[f]
      if (value !== undefined && value !== '') row[f as Column] = value
    }
    if (input.values.phone && (input.values.phone !== stored?.phone || !stored?.phone_e164)) {
      row.phone_e164 = phoneToE164(input.values.phone, row.country ?? defaultCountry)
    }
    for (const ch of CONSENT_CHANNELS) {
      const given = input.consent[ch]
      if (!given) {
        row[`consent_${ch}`] ??= 'unknown'
        continue
      }
      // The same answer again keeps its original date and source.
      if (row[`consent_${ch}`] === given.status) continue
      row[`consent_${ch}`] = given.status
      row[`consent_${ch}_at`] = given.at
      row[`consent_${ch}_source`] = given.source
    }
    // A replaced email or phone is not thrown away: it stays as an alternate.
    const replaced: CustomerInput = { ...input, alternateEmails: [...input.alternateEmails], alternatePhones: [...input.alternatePhones] }
    if (stored?.email && row.email && normaliseEmail(stored.email) !== normaliseEmail(row.email)) replaced.alternateEmails.push(stored.email)
    if (stored?.phone && row.phone && stored.phone !== row.phone) replaced.alternatePhones.push(stored.phone)
    row.extra = mergeExtra(row.extra, replaced)
    Object.assign(row, customerKeys(row))
    return row
  }

  function writeTags(customerId: number, tags: string[]): boolean {
    let changed = false
    for (const name of tags) changed = store.linkTag(customerId, name) || changed
    return changed
  }

  return {
    /** Inserts or updates one customer; returns what happened. */
    write(prepared: PreparedCustomer, onConflict: OnConflict): WriteOutcome {
      const c = prepared.columns
      let stored = findExisting(c[EXTERNAL_ID] ?? null, c[EMAIL_NORM] ?? null)
      if (stored && onConflict === 'skip') return { kind: 'skipped', id: stored.id }
      if (stored && onConflict === 'error') return { kind: 'conflict', id: stored.id }
      let duplicateOf: DuplicateMatch | undefined
      if (!stored && duplicates) {
        duplicateOf = duplicates.find(prepared) ?? undefined
        if (duplicateOf && duplicates.action === 'skip') return { kind: 'skipped', id: duplicateOf.id, duplicateOf }
        if (duplicateOf && duplicates.action === 'merge') stored = byId.get(duplicateOf.id) as StoredRow | undefined
      }
      if (!stored) {
        // A new customer: every value and key was prepared by the validation stage.
        const id = store.insert(c, now)
        if (prepared.tags.length) writeTags(id, prepared.tags)
        return { kind: 'inserted', id, duplicateOf }
      }
      const input = customerInput(prepared)
      const row = merged(stored, input)
      const values = COLUMNS.map((c) => row[c])
      const changed = COLUMNS.some((c) => row[c] !== stored[c])
      if (changed) store.update(stored.id, values, now)
      const tagsChanged = writeTags(stored.id, input.tags)
      return { kind: changed || tagsChanged ? 'updated' : 'unchanged', id: stored.id, duplicateOf }
    },
  }
}

const EXTERNAL_ID = COLUMN.external_id
const EMAIL_NORM = COLUMN.email_norm
