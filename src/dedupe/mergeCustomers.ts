import type { Kysely } from 'kysely'
import { customerKeys } from '../customers/customerKeys.js'
import { writeTransaction } from '../db/dialect.js'
import { CONSENT_CHANNELS, type CustomerUpdate, type Database } from '../db/schema.js'
import { CrmError } from '../errors.js'
import { mergeFieldValues, type MergedFieldValues } from '../fields/mergeFieldValues.js'

/** A customers row exactly as the database returned it (every column). */
export type RowValues = Record<string, string | number | null>

/** Everything a merge changed, as it was before, so unmerge can restore it byte for byte. */
export interface MergeSnapshot {
  /** Every member's customers row before the merge, survivor first. */
  customers: RowValues[]
  /** Child rows moved to the survivor: table, row id, the customer it belonged to. */
  moved: Array<{ table: 'purchases' | 'interactions' | 'nps_answers'; id: number; customer_id: number }>
  /** The merged-away members' tag links, as they were. */
  tagLinks: RowValues[]
  /** Tag ids the merge added to the survivor (removed again by unmerge). */
  addedTags: number[]
  /** Custom field values: the others' rows as they were, the field ids the survivor took (absent before 0009). */
  fieldValues?: MergedFieldValues
}

export interface MergeResult {
  mergeId: number
  survivorId: number
  mergedIds: number[]
}

const PERSON_FIELDS = ['first_name', 'last_name', 'gender', 'birth_date', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'notes'] as const
const ADDRESS_FIELDS = ['street', 'city', 'region', 'postal_code', 'country'] as const
const CHILD_TABLES = ['purchases', 'interactions', 'nps_answers'] as const

const empty = (v: unknown) => v == null || (typeof v === 'string' && v.trim() === '')

/**
 * Merges customers into the oldest of them, in one transaction. Each field takes the most
 * recently updated non-empty value; the address moves as a whole (street, city, region,
 * postal code, country from one record, never mixed); a consent refusal anywhere wins;
 * other emails and phones are kept in `extra` as alternate_emails / alternate_phones.
 * Purchases, contacts, NPS answers and tags move to the survivor. The rows as they were
 * go into `merges`, and the merged-away customers are deleted.
 */
export async function mergeCustomers(db: Kysely<Database>, ids: readonly number[], now: string): Promise<MergeResult> {
  if (new Set(ids).size < 2) throw new CrmError('a merge needs at least two different customer ids')
  return writeTransaction(db, (trx) => mergeCustomersIn(trx, ids, now))
}

/** The same inside a write transaction the caller holds (crm dedupe --merge: every group in one). */
export async function mergeCustomersIn(trx: Kysely<Database>, ids: readonly number[], now: string): Promise<MergeResult> {
  const unique = [...new Set(ids)]
  if (unique.length < 2) throw new CrmError('a merge needs at least two different customer ids')
  const found = (await trx.selectFrom('customers').selectAll().where('id', 'in', unique).execute()) as unknown as RowValues[]
  const rows = unique.map((id) => {
    const row = found.find((r) => Number(r.id) === id)
    if (!row) throw new CrmError(`no customer with id ${id}; nothing merged`)
    if (row.forgotten_at) throw new CrmError(`customer ${id} was erased; nothing merged`)
    return row
  })
  // The survivor is the oldest record; ties go to the lower id.
  const byAge = [...rows].sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)) || Number(a.id) - Number(b.id))
  const survivor = byAge[0]!
  const others = byAge.slice(1)
  const survivorId = Number(survivor.id)
  // Newest first: the first non-empty value wins.
  const recent = [...rows].sort((a, b) => String(b.updated_at).localeCompare(String(a.updated_at)) || Number(b.id) - Number(a.id))

  const merged: RowValues = { ...survivor }
  // The survivor keeps its own external id; without one it takes the oldest other's, so
  // the next import of that shop system's file updates the survivor instead of re-adding.
  if (empty(merged.external_id)) merged.external_id = others.find((r) => !empty(r.external_id))?.external_id ?? null
  for (const f of PERSON_FIELDS) merged[f] = recent.find((r) => !empty(r[f]))?.[f] ?? null
  const addressFrom = recent.find((r) => !empty(r.street) || !empty(r.postal_code) || !empty(r.city))
  if (addressFrom) for (const f of ADDRESS_FIELDS) merged[f] = addressFrom[f] ?? null
  const emailFrom = recent.find((r) => !empty(r.email))
  merged.email = emailFrom?.email ?? null
  merged.email_norm = emailFrom?.email_norm ?? null
  const phoneFrom = recent.find((r) => !empty(r.phone))
  merged.phone = phoneFrom?.phone ?? null
  merged.phone_e164 = phoneFrom?.phone_e164 ?? null
  for (const ch of CONSENT_CHANNELS) {
    const decided = rows.find((r) => r[`consent_${ch}`] === 'refused') ?? recent.find((r) => r[`consent_${ch}`] !== 'unknown')
    if (decided) for (const s of ['', '_at', '_source']) merged[`consent_${ch}${s}`] = decided[`consent_${ch}${s}`] ?? null
  }
  merged.extra = mergeExtra(byAge, merged)
  Object.assign(merged, customerKeys(merged as Parameters<typeof customerKeys>[0]))
  merged.updated_at = now

  // Move the history, remembering where each row was.
  const moved: MergeSnapshot['moved'] = []
  const otherIds = others.map((r) => Number(r.id))
  for (const table of CHILD_TABLES) {
    const list = await trx.selectFrom(table).select(['id', 'customer_id']).where('customer_id', 'in', otherIds).orderBy('id').execute()
    for (const r of list) moved.push({ table, id: r.id, customer_id: Number(r.customer_id) })
    await trx.updateTable(table).set({ customer_id: survivorId }).where('customer_id', 'in', otherIds).execute()
  }
  const tagLinks = (await trx
    .selectFrom('customer_tags')
    .selectAll()
    .where('customer_id', 'in', otherIds)
    .orderBy('customer_id')
    .orderBy('tag_id')
    .execute()) as unknown as RowValues[]
  const had = new Set((await trx.selectFrom('customer_tags').select('tag_id').where('customer_id', '=', survivorId).execute()).map((r) => r.tag_id))
  const addedTags: number[] = []
  for (const t of tagLinks) {
    const tagId = Number(t.tag_id)
    if (had.has(tagId)) continue
    had.add(tagId)
    addedTags.push(tagId)
  }
  if (addedTags.length) {
    await trx
      .insertInto('customer_tags')
      .values(addedTags.map((tagId) => ({ customer_id: survivorId, tag_id: tagId, created_at: now, updated_at: now })))
      .execute()
  }
  await trx.deleteFrom('customer_tags').where('customer_id', 'in', otherIds).execute()
  const fieldValues = await mergeFieldValues(trx, survivorId, recent.map((r) => Number(r.id)).filter((id) => id !== survivorId), now)
  await trx.deleteFrom('customers').where('id', 'in', otherIds).execute()

  const { id: _id, created_at: _created, ...changes } = merged
  await trx.updateTable('customers').set(changes as CustomerUpdate).where('id', '=', survivorId).execute()

  const snapshot: MergeSnapshot = { customers: [survivor, ...others], moved, tagLinks, addedTags, fieldValues }
  const inserted = await trx
    .insertInto('merges')
    .values({ survivor_id: survivorId, merged_ids: JSON.stringify(otherIds), snapshot: JSON.stringify(snapshot), survivor_updated_at: now, merged_at: now })
    .returning('id')
    .executeTakeFirstOrThrow()
  const mergeId = Number(inserted.id)
  await trx
    .insertInto('audit')
    .values({ at: now, action: 'merge', customer_id: survivorId, details: JSON.stringify({ merge_id: mergeId, merged_ids: otherIds, moved: moved.length }) })
    .execute()
  return { mergeId, survivorId, mergedIds: [...otherIds].sort((a, b) => a - b) }
}

/** The members' extra JSON objects, newer keys over older, plus alternate emails and phones. */
function mergeExtra(byAge: RowValues[], merged: RowValues): string | null {
  const out: Record<string, unknown> = {}
  const emails: string[] = []
  const phones: string[] = []
  // One entry per address or number however it was written (case, spaces, punctuation).
  const same = (a: string, b: string, digits: boolean) =>
    digits ? a.replace(/\D/g, '') === b.replace(/\D/g, '') : a.trim().toLowerCase() === b.trim().toLowerCase()
  const push = (list: string[], v: unknown, digits = false) => {
    if (typeof v === 'string' && v.trim() !== '' && !list.some((x) => same(x, v, digits))) list.push(v)
  }
  for (const r of byAge) {
    let extra: Record<string, unknown> = {}
    try {
      extra = r.extra ? (JSON.parse(String(r.extra)) as Record<string, unknown>) : {}
    } catch {
      extra = {}
    }
    for (const [k, v] of Object.entries(extra)) {
      if (k === 'alternate_emails' && Array.isArray(v)) v.forEach((x) => push(emails, x))
      else if (k === 'alternate_phones' && Array.isArray(v)) v.forEach((x) => push(phones, x, true))
      else out[k] = v
    }
    push(emails, r.email)
    push(phones, r.phone, true)
  }
  const altEmails = emails.filter((e) => typeof merged.email !== 'string' || !same(e, merged.email, false))
  const altPhones = phones.filter((p) => typeof merged.phone !== 'string' || !same(p, merged.phone, true))
  if (altEmails.length) out.alternate_emails = altEmails
  if (altPhones.length) out.alternate_phones = altPhones
  return Object.keys(out).length ? JSON.stringify(out) : null
}
