import { sql, type Kysely } from 'kysely'
import { containsText, writeTransaction } from '../db/dialect.js'
import { normaliseEmail } from '../customers/customerKeys.js'
import type { Customer, CustomerUpdate, Database } from '../db/schema.js'
import { CrmError } from '../errors.js'
import { phoneToE164 } from '../import/parse/fields.js'
import { erasureSecretOf, suppressionHash } from './suppressionHash.js'

/** Columns that describe the person and are emptied on erasure. */
const PERSONAL_COLUMNS = [
  'external_id', 'first_name', 'last_name', 'email', 'email_norm', 'phone', 'phone_e164', 'gender', 'birth_date', 'street',
  'city', 'region', 'postal_code', 'company', 'job_title', 'notes', 'extra', 'city_key', 'region_key', 'search_key',
] as const
// Kept: country, source, territory, sales_rep (the shop's own facts, not the person's),
// purchases (reports do not change), contact and NPS rows without their free text.

export interface ForgetSummary {
  customerId: number
  purchasesKept: number
  contactsKept: number
  npsAnswersKept: number
  /** How many emails and phones went on the suppression list (alternates and earlier ones included). */
  suppressed: { email: number; phone: number }
  /** Audit rows whose details held the person's data and were scrubbed. */
  auditRowsScrubbed: number
  /** Merge snapshots (crm dedupe) of this person's records that were scrubbed. */
  mergesScrubbed: number
}

const ERASED = '[erased]'
const CONSENT_STATUSES = new Set(['granted', 'refused', 'unknown'])
/** Keys in audit details that are structure, not the person's data. */
const STRUCTURAL_KEYS = new Set(['action', 'field', 'fields', 'file', 'type', 'channel', 'kind', 'added', 'removed', 'source', 'at'])

type Row = Record<string, unknown>
interface MergeRow {
  id: number
  merged_ids: string
  snapshot: string
}

const parseJson = (s: string | null): unknown => {
  if (s === null) return null
  try {
    return JSON.parse(s)
  } catch {
    return s
  }
}
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])

/**
 * Erases a person in one transaction: personal fields emptied, consent set to refused,
 * free text of contacts and NPS answers removed, tags unlinked, custom field values deleted, the person's values
 * scrubbed from every audit row and merge snapshot that holds them, and only keyed hashes
 * of their emails and phones (current, alternate, earlier, merged-away records') kept so a
 * later import reports them instead of re-creating them. Purchases stay with the anonymous
 * record so totals do not change.
 */
export async function forgetCustomer(db: Kysely<Database>, found: Customer, o: { at: string; reason: string; defaultCountry: string }): Promise<ForgetSummary> {
  return writeTransaction(db, async (trx): Promise<ForgetSummary> => {
    // Read again under the write lock: another process may have merged or edited the record
    // since the caller found it, and every value it holds now must be erased.
    const c = await trx.selectFrom('customers').selectAll().where('id', '=', found.id).executeTakeFirst()
    if (!c) throw new CrmError(`customer ${found.id} no longer exists (merged or removed meanwhile); nothing erased`)
    if (c.forgotten_at) throw new CrmError(`customer ${found.id} was already erased at ${c.forgotten_at}`)
    const secret = await erasureSecretOf(trx)
    const merges = await trx.selectFrom('merges').select(['id', 'merged_ids', 'snapshot']).where('survivor_id', '=', c.id).execute()
    // The records merged into this one were the same person: their audit rows are theirs too.
    const ownIds = [c.id, ...merges.flatMap((m) => (parseJson(m.merged_ids) as number[] | null) ?? [])]
    const ownAudit = await trx.selectFrom('audit').select(['id', 'details']).where('customer_id', 'in', ownIds).execute()
    const snapshotCustomers = merges.flatMap((m) => {
      const s = parseJson(m.snapshot) as { customers?: Row[] } | null
      return Array.isArray(s?.customers) ? s.customers : []
    })

    // Every record of the person: this one, the merged-away ones as the snapshots kept
    // them, and the values their edits replaced (an earlier email or name).
    const records: Row[] = [c as unknown as Row, ...snapshotCustomers, ...ownAudit.flatMap((a) => editedValues(parseJson(a.details)))]
    const toE164 = (p: string) => phoneToE164(p, c.country ?? o.defaultCountry)
    const emails = new Set<string>()
    const phones = new Set<string>()
    for (const r of records) {
      const extra = typeof r.extra === 'string' ? (parseJson(r.extra) as Row | null) : null
      for (const e of [r.email, ...strings(extra?.alternate_emails)]) if (typeof e === 'string') emails.add(normaliseEmail(e) ?? '')
      for (const p of [r.phone, ...strings(extra?.alternate_phones)]) if (typeof p === 'string') phones.add(toE164(p) ?? '')
      if (typeof r.phone_e164 === 'string') phones.add(r.phone_e164)
    }
    emails.delete('')
    phones.delete('')
    const hashes = [
      ...[...emails].map((e) => ({ kind: 'email' as const, hash: suppressionHash(secret, 'email', e), created_at: o.at, updated_at: o.at })),
      ...[...phones].map((p) => ({ kind: 'phone' as const, hash: suppressionHash(secret, 'phone', p), created_at: o.at, updated_at: o.at })),
    ]
    if (hashes.length) await trx.insertInto('suppressions').values(hashes).onConflict((oc) => oc.doNothing()).execute()

    const person = personMatcher(records)
    const auditRowsScrubbed = await scrubAudit(trx, ownIds, ownAudit, person, o.at)
    const mergesScrubbed = await scrubMerges(trx, merges, person, o.at)

    const erased: Record<string, string | null> = Object.fromEntries(PERSONAL_COLUMNS.map((col) => [col, null]))
    for (const ch of ['email', 'mail', 'sms', 'phone']) {
      erased[`consent_${ch}`] = 'refused'
      erased[`consent_${ch}_at`] = o.at
      erased[`consent_${ch}_source`] = 'crm forget'
    }
    await trx
      .updateTable('customers')
      .set({ ...erased, forgotten_at: o.at, updated_at: o.at } as CustomerUpdate)
      .where('id', '=', c.id)
      .execute()
    const contacts = Number((await trx.updateTable('interactions').set({ note: null, updated_at: o.at }).where('customer_id', '=', c.id).executeTakeFirst()).numUpdatedRows)
    const answers = Number((await trx.updateTable('nps_answers').set({ comment: null, updated_at: o.at }).where('customer_id', '=', c.id).executeTakeFirst()).numUpdatedRows)
    await trx.deleteFrom('customer_tags').where('customer_id', '=', c.id).execute()
    // The shop's own fields (income band, children …) describe the person: all go.
    await trx.deleteFrom('customer_field_values').where('customer_id', '=', c.id).execute()
    const purchases = await trx.selectFrom('purchases').select((eb) => eb.fn.countAll<number>().as('n')).where('customer_id', '=', c.id).executeTakeFirstOrThrow()
    const summary: ForgetSummary = {
      customerId: c.id,
      purchasesKept: Number(purchases.n),
      contactsKept: contacts,
      npsAnswersKept: answers,
      suppressed: { email: emails.size, phone: phones.size },
      auditRowsScrubbed,
      mergesScrubbed,
    }
    await trx
      .insertInto('audit')
      .values({ at: o.at, action: 'forget', customer_id: c.id, details: JSON.stringify({ reason: o.reason, ...summary }), created_at: o.at, updated_at: o.at })
      .execute()
    return summary
  })
}

/** An edit row's values (from and to) as partial records: earlier emails, names, streets. */
function editedValues(d: unknown): Row[] {
  const changes = d && typeof d === 'object' ? (d as { changes?: unknown }).changes : undefined
  if (!changes || typeof changes !== 'object') return []
  const rows: Row[] = []
  for (const [field, ch] of Object.entries(changes as Record<string, unknown>)) {
    if (!ch || typeof ch !== 'object') continue
    for (const v of [(ch as Row).from, (ch as Row).to]) if (typeof v === 'string') rows.push({ [field]: v })
  }
  return rows
}

/** Columns whose value names the person on its own: erased wherever it appears. */
const IDENTIFYING = ['email', 'phone', 'phone_e164', 'street', 'notes', 'external_id'] as const

/**
 * How to recognise the person's data in rows about other people (merges, audit): a
 * string equal to one of their names or ids, or containing one of their emails, phones,
 * streets or notes. A shared city or a first name inside another word is no match, so
 * other customers' history is left alone.
 */
export interface PersonMatcher {
  /** Lower-cased texts for a cheap SQL pre-filter (instr). */
  needles: string[]
  holds(text: string): boolean
}

function personMatcher(records: Row[]): PersonMatcher {
  const exact = new Set<string>()
  const contained = new Set<string>()
  const norm = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '')
  for (const r of records) {
    for (const col of ['first_name', 'last_name', 'external_id', 'email', 'phone', 'phone_e164'] as const) if (norm(r[col]).length >= 2) exact.add(norm(r[col]))
    const full = `${norm(r.first_name)} ${norm(r.last_name)}`.trim()
    if (full.includes(' ')) contained.add(full)
    for (const col of IDENTIFYING) if (norm(r[col]).length >= 6) contained.add(norm(r[col]))
    const extra = typeof r.extra === 'string' ? (parseJson(r.extra) as Row | null) : null
    for (const v of [...strings(extra?.alternate_emails), ...strings(extra?.alternate_phones)]) if (norm(v).length >= 6) contained.add(norm(v))
  }
  const containedList = [...contained]
  return {
    needles: [...new Set([...exact, ...contained])],
    holds(text) {
      const t = text.trim().toLowerCase()
      return exact.has(t) || containedList.some((v) => t.includes(v))
    },
  }
}

/**
 * Audit rows keep what happened, never who it happened to: the person's own rows lose
 * every value (field names and consent statuses stay), and any other row loses each
 * string that holds one of the person's values.
 */
async function scrubAudit(
  trx: Kysely<Database>,
  ownIds: number[],
  own: Array<{ id: number; details: string | null }>,
  person: PersonMatcher,
  at: string,
): Promise<number> {
  const update = (id: number, details: string) => trx.updateTable('audit').set({ details, updated_at: at }).where('id', '=', id).execute()
  let n = 0
  for (const r of own) {
    const next = JSON.stringify(scrub(parseJson(r.details), (s) => !CONSENT_STATUSES.has(s)))
    if (next !== r.details) {
      await update(r.id, next)
      n++
    }
  }
  if (person.needles.length === 0) return n
  const others = await trx
    .selectFrom('audit')
    .select(['id', 'details'])
    .where((eb) => eb.or([eb('customer_id', 'is', null), eb('customer_id', 'not in', ownIds)]))
    .where('details', 'is not', null)
    .where((eb) => eb.or(person.needles.map((needle) => containsText(trx, sql`lower(details)`, needle))))
    .execute()
  for (const r of others) {
    const next = JSON.stringify(scrub(parseJson(r.details), (t) => person.holds(t)))
    if (next !== r.details) {
      await update(r.id, next)
      n++
    }
  }
  return n
}

/**
 * A merge snapshot keeps the merged records exactly as they were (for `crm unmerge`): their
 * personal columns are emptied, and any other string holding the person's values erased.
 * Forget changes the survivor's updated_at, so unmerge refuses these merges afterwards.
 */
async function scrubMerges(trx: Kysely<Database>, merges: MergeRow[], person: PersonMatcher, at: string): Promise<number> {
  if (merges.length === 0) return 0
  for (const m of merges) {
    const s = parseJson(m.snapshot)
    if (s && typeof s === 'object' && Array.isArray((s as { customers?: unknown }).customers)) {
      for (const r of (s as { customers: Row[] }).customers) for (const col of PERSONAL_COLUMNS) if (col in r) r[col] = null
      // The merged-away records' custom field values were the person's too.
      const values = (s as { fieldValues?: { rows?: unknown[] } }).fieldValues
      if (values?.rows) values.rows = []
    }
    await trx.updateTable('merges').set({ snapshot: JSON.stringify(scrub(s, (t) => person.holds(t))), updated_at: at }).where('id', '=', m.id).execute()
  }
  return merges.length
}

/** Replaces the string leaves `erase` picks (outside structural keys) with "[erased]". */
function scrub(v: unknown, erase: (s: string) => boolean, key?: string): unknown {
  if (key !== undefined && STRUCTURAL_KEYS.has(key)) return v
  if (Array.isArray(v)) return v.map((x) => scrub(x, erase))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x, erase, k)]))
  if (typeof v === 'string' && erase(v)) return ERASED
  return v
}
