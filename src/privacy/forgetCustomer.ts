import type BetterSqlite3 from 'better-sqlite3'
import { normaliseEmail } from '../customers/customerKeys.js'
import type { Customer } from '../db/schema.js'
import { phoneToE164 } from '../import/parse/fields.js'
import { erasureSecret, suppressionHash } from './suppressionHash.js'

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
  /** How many emails and phones went on the suppression list (alternates included). */
  suppressed: { email: number; phone: number }
  /** Audit rows whose details held the person's data and were scrubbed. */
  auditRowsScrubbed: number
}

const ERASED = '[erased]'
const CONSENT_STATUSES = new Set(['granted', 'refused', 'unknown'])
/** Keys in audit details that are structure, not the person's data. */
const STRUCTURAL_KEYS = new Set(['action', 'field', 'fields', 'file', 'type', 'channel', 'kind', 'added', 'removed', 'source', 'at'])

/**
 * Erases a person in one transaction: personal fields emptied, consent set to refused,
 * free text of contacts and NPS answers removed, tags unlinked, the person's values
 * scrubbed from every audit row that holds them (edits, merges), and only keyed hashes
 * of their email(s) and phone(s) kept so a later import reports them instead of
 * re-creating them. Purchases stay with the anonymous record so totals do not change.
 */
export function forgetCustomer(sqlite: BetterSqlite3.Database, c: Customer, o: { at: string; reason: string; defaultCountry: string }): ForgetSummary {
  const run = sqlite.transaction((): ForgetSummary => {
    const secret = erasureSecret(sqlite)
    const extra = c.extra ? (JSON.parse(c.extra) as Record<string, unknown>) : {}
    const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [])
    // Earlier emails and phones (from this customer's edit rows) identify the person too.
    const earlier = earlierValues(sqlite, c.id)
    const toE164 = (p: string) => phoneToE164(p, c.country ?? o.defaultCountry)
    const emails = new Set(
      [c.email_norm, ...list(extra.alternate_emails).map(normaliseEmail), ...earlier.email.map(normaliseEmail)].filter((e): e is string => !!e),
    )
    const phones = new Set([c.phone_e164, ...list(extra.alternate_phones).map(toE164), ...earlier.phone.map(toE164)].filter((p): p is string => !!p))
    const insertHash = sqlite.prepare('insert into suppressions (kind, hash, created_at, updated_at) values (?, ?, ?, ?) on conflict do nothing')
    for (const e of emails) insertHash.run('email', suppressionHash(secret, 'email', e), o.at, o.at)
    for (const p of phones) insertHash.run('phone', suppressionHash(secret, 'phone', p), o.at, o.at)

    const scrubbed = scrubAudit(sqlite, c, extra, o.at)

    const set = PERSONAL_COLUMNS.map((col) => `${col} = null`).join(', ')
    const consent = ['email', 'mail', 'sms', 'phone'].map((ch) => `consent_${ch} = 'refused', consent_${ch}_at = @at, consent_${ch}_source = 'crm forget'`).join(', ')
    sqlite.prepare(`update customers set ${set}, ${consent}, forgotten_at = @at, updated_at = @at where id = @id`).run({ at: o.at, id: c.id })
    const contacts = sqlite.prepare('update interactions set note = null, updated_at = ? where customer_id = ?').run(o.at, c.id).changes
    const answers = sqlite.prepare('update nps_answers set comment = null, updated_at = ? where customer_id = ?').run(o.at, c.id).changes
    sqlite.prepare('delete from customer_tags where customer_id = ?').run(c.id)
    const purchases = sqlite.prepare('select count(*) from purchases where customer_id = ?').pluck().get(c.id) as number
    const summary: ForgetSummary = {
      customerId: c.id,
      purchasesKept: purchases,
      contactsKept: contacts,
      npsAnswersKept: answers,
      suppressed: { email: emails.size, phone: phones.size },
      auditRowsScrubbed: scrubbed,
    }
    sqlite
      .prepare('insert into audit (at, action, customer_id, details, created_at, updated_at) values (?, ?, ?, ?, ?, ?)')
      .run(o.at, 'forget', c.id, JSON.stringify({ reason: o.reason, ...summary }), o.at, o.at)
    return summary
  })
  return run.immediate()
}

/** Emails and phones this customer had before an edit changed them. */
function earlierValues(sqlite: BetterSqlite3.Database, customerId: number): { email: string[]; phone: string[] } {
  const out = { email: [] as string[], phone: [] as string[] }
  const rows = sqlite.prepare("select details from audit where customer_id = ? and action = 'edit'").pluck().all(customerId) as string[]
  for (const d of rows) {
    try {
      const changes = (JSON.parse(d) as { changes?: Record<string, { from?: unknown }> }).changes ?? {}
      for (const field of ['email', 'phone'] as const) {
        const from = changes[field]?.from
        if (typeof from === 'string') out[field].push(from)
      }
    } catch {
      // Not JSON: nothing to learn from it.
    }
  }
  return out
}

/** Every text that identifies the person: current values, alternates and earlier values from edits. */
function personalValues(c: Customer, extra: Record<string, unknown>, ownDetails: unknown[]): string[] {
  const values = new Set<string>()
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.trim().length >= 3) values.add(v.trim().toLowerCase())
  }
  for (const col of PERSONAL_COLUMNS) if (col !== 'extra' && !col.endsWith('_key')) add(c[col])
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk)
    else if (v && typeof v === 'object') Object.values(v).forEach(walk)
    else add(v)
  }
  walk(extra)
  // Earlier emails and names: the "from" side of this customer's edits.
  for (const d of ownDetails) walk(collectChanged(d))
  return [...values]
}

function collectChanged(d: unknown): unknown[] {
  if (!d || typeof d !== 'object') return []
  const changes = (d as { changes?: Record<string, { from?: unknown; to?: unknown }> }).changes
  if (!changes || typeof changes !== 'object') return []
  return Object.values(changes).flatMap((ch) => (ch && typeof ch === 'object' ? [ch.from, ch.to] : []))
}

/**
 * Audit rows keep what happened, never who it happened to: this customer's rows lose
 * every value (field names stay), and any other row (a merge into or from another
 * record) loses each string that holds one of the person's values.
 */
function scrubAudit(sqlite: BetterSqlite3.Database, c: Customer, extra: Record<string, unknown>, at: string): number {
  type Row = { id: number; customer_id: number | null; details: string | null }
  const parse = (s: string | null): unknown => {
    try {
      return s === null ? null : JSON.parse(s)
    } catch {
      return s
    }
  }
  const own = sqlite.prepare('select id, customer_id, details from audit where customer_id = ?').all(c.id) as Row[]
  const values = personalValues(c, extra, own.map((r) => parse(r.details)))
  const update = sqlite.prepare('update audit set details = ?, updated_at = ? where id = ?')
  let n = 0
  for (const r of own) {
    const next = JSON.stringify(scrub(parse(r.details), (s) => !CONSENT_STATUSES.has(s)))
    if (next !== r.details) {
      update.run(next, at, r.id)
      n++
    }
  }
  if (values.length === 0) return n
  const mentions = values.map(() => 'instr(lower(details), ?) > 0').join(' or ')
  const others = sqlite
    .prepare(`select id, customer_id, details from audit where (customer_id is null or customer_id <> ?) and details is not null and (${mentions})`)
    .all(c.id, ...values) as Row[]
  const holds = (s: string) => {
    const l = s.toLowerCase()
    return values.some((v) => l.includes(v))
  }
  for (const r of others) {
    const next = JSON.stringify(scrub(parse(r.details), holds))
    if (next !== r.details) {
      update.run(next, at, r.id)
      n++
    }
  }
  return n
}

/** Replaces the string leaves `erase` picks (outside structural keys) with "[erased]". */
function scrub(v: unknown, erase: (s: string) => boolean, key?: string): unknown {
  if (key !== undefined && STRUCTURAL_KEYS.has(key)) return v
  if (Array.isArray(v)) return v.map((x) => scrub(x, erase))
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scrub(x, erase, k)]))
  if (typeof v === 'string' && erase(v)) return ERASED
  return v
}
