import type { CustomerKeys } from '../customers/customerKeys.js'
import type { ConsentChannel } from '../db/schema.js'
import { digitsOf } from '../text/fold.js'
import type { ConsentInput, CustomerInput, CustomerValues } from './customerRow.js'
import { phoneToE164 } from './parse/fields.js'

/** Every stored customer column an import writes, in statement order. */
export const COLUMNS = [
  'external_id', 'first_name', 'last_name', 'email', 'email_norm', 'phone', 'phone_e164', 'gender', 'birth_date', 'street',
  'city', 'region', 'postal_code', 'country', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'notes',
  'consent_email', 'consent_email_at', 'consent_email_source', 'consent_mail', 'consent_mail_at', 'consent_mail_source',
  'consent_sms', 'consent_sms_at', 'consent_sms_source', 'consent_phone', 'consent_phone_at', 'consent_phone_source',
  'extra', 'city_key', 'region_key', 'territory_key', 'sales_rep_key', 'source_key', 'search_key',
] as const
export type Column = (typeof COLUMNS)[number]

/** Where a column sits in a row of COLUMNS' values. */
export const COLUMN: { readonly [C in Column]: number } = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as { [C in Column]: number }

export const VALUE_FIELDS: Array<keyof CustomerValues> = [
  'external_id', 'first_name', 'last_name', 'email', 'phone', 'gender', 'birth_date', 'street', 'city', 'region',
  'postal_code', 'country', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'notes',
]
const CHANNELS: ConsentChannel[] = ['email', 'mail', 'sms', 'phone']

/** The row's own extra cells and alternate emails and phones: what a merge adds to a stored row. */
export interface CustomerExtras {
  extra: Record<string, string>
  alternateEmails: string[]
  alternatePhones: string[]
}

/**
 * A customer row ready to write, as the validation stage hands it over: the values a new
 * customer is inserted with, its tags, and its extra cells. Plain arrays, because the
 * structured clone that carries rows from the worker thread copies object by object: the
 * nested input objects this replaces cost about twice as much to send. A row that updates a
 * stored customer reads its input back with `customerInput`. No column is ever '': an empty
 * cell is null.
 */
export interface PreparedCustomer {
  columns: Array<string | null>
  tags: string[]
  extras: CustomerExtras | null
  /**
   * Set when the phone number is still to be read (in this default country): the worker
   * thread leaves it to the main thread when that one is waiting for rows (finishPhone).
   */
  phoneCountry?: string
}

/** The stored values of a new customer from its checked input and derived values. */
export function preparedCustomer(input: CustomerInput, phoneE164: string | null, keys: CustomerKeys, phoneCountry?: string): PreparedCustomer {
  const v = input.values
  const c = input.consent
  const hasExtras = input.alternateEmails.length > 0 || input.alternatePhones.length > 0 || hasKeys(input.extra)
  const extras = hasExtras ? { extra: input.extra, alternateEmails: input.alternateEmails, alternatePhones: input.alternatePhones } : null
  const columns = [
    v.external_id ?? null, v.first_name ?? null, v.last_name ?? null, v.email ?? null, keys.email_norm, v.phone ?? null, phoneE164,
    v.gender ?? null, v.birth_date ?? null, v.street ?? null, v.city ?? null, v.region ?? null, v.postal_code ?? null,
    v.country ?? null, v.company ?? null, v.job_title ?? null, v.source ?? null, v.territory ?? null, v.sales_rep ?? null,
    v.notes ?? null,
  ]
  for (const ch of CHANNELS) columns.push(c[ch]?.status ?? 'unknown', c[ch]?.at ?? null, c[ch]?.source ?? null)
  columns.push(extras ? mergeExtra(null, extras) : null, keys.city_key, keys.region_key, keys.territory_key, keys.sales_rep_key, keys.source_key, keys.search_key)
  return phoneCountry === undefined ? { columns, tags: input.tags, extras } : { columns, tags: input.tags, extras, phoneCountry }
}

/**
 * Reads the phone number the validation stage left unread: its E.164 form, and its digits
 * at the end of the search key, where customerKeys puts them.
 */
export function finishPhone(p: PreparedCustomer): void {
  if (p.phoneCountry === undefined) return
  const e164 = phoneToE164(p.columns[COLUMN.phone]!, p.phoneCountry)
  delete p.phoneCountry
  if (e164 === null) return
  p.columns[COLUMN.phone_e164] = e164
  const digits = digitsOf(e164)
  const search = p.columns[COLUMN.search_key]
  if (digits !== '') p.columns[COLUMN.search_key] = search ? `${search} ${digits}` : digits
}

function hasKeys(o: Record<string, string>): boolean {
  for (const _ in o) return true
  return false
}

/** The checked input a prepared row was made from (for a merge into a stored customer, and --dedupe). */
export function customerInput(p: PreparedCustomer): CustomerInput {
  const values: CustomerValues = {}
  for (const f of VALUE_FIELDS) {
    const value = p.columns[COLUMN[f]]
    if (value != null) (values as Record<string, string>)[f] = value
  }
  // Consent the file left unknown is not part of the input (customerPlan drops it).
  const consent: Partial<Record<ConsentChannel, ConsentInput>> = {}
  for (const ch of CHANNELS) {
    const status = p.columns[COLUMN[`consent_${ch}`]]
    if (status === 'granted' || status === 'refused') {
      consent[ch] = { status, at: p.columns[COLUMN[`consent_${ch}_at`]]!, source: p.columns[COLUMN[`consent_${ch}_source`]]! }
    }
  }
  const x = p.extras
  return { values, consent, extra: x?.extra ?? {}, alternateEmails: x?.alternateEmails ?? [], alternatePhones: x?.alternatePhones ?? [], tags: p.tags }
}

/** Adds a row's extra columns and alternates to the stored JSON; keys keep insertion order. */
export function mergeExtra(stored: string | null, input: CustomerExtras): string | null {
  const hasNew = hasKeys(input.extra) || input.alternateEmails.length > 0 || input.alternatePhones.length > 0
  if (!hasNew) return stored
  const extra = stored ? (JSON.parse(stored) as Record<string, unknown>) : {}
  Object.assign(extra, input.extra)
  const addAll = (key: string, values: string[]) => {
    if (!values.length) return
    const list = Array.isArray(extra[key]) ? (extra[key] as string[]) : []
    for (const v of values) if (!list.includes(v)) list.push(v)
    extra[key] = list
  }
  addAll('alternate_emails', input.alternateEmails)
  addAll('alternate_phones', input.alternatePhones)
  return JSON.stringify(extra)
}
