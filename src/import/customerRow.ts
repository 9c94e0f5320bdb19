import type { ConsentChannel, ConsentStatus, Gender } from '../db/schema.js'
import type { Mapping } from './headerMap.js'
import { containsCardNumber, parseConsent, parseCountry, parseEmail, parseGender } from './parse/fields.js'
import { ParseError, parseDate, parseTimestamp, type DateOrder } from './parse/dates.js'
import { memo } from '../util/memo.js'
import { isEmptyFieldValue } from './parse/emptyValues.js'

// Gender, country and consent cells repeat a handful of spellings down a file.
const genderOf = memo(parseGender)
const countryOf = memo(parseCountry)
const consentOf = memo(parseConsent)

export interface RowContext {
  dateOrder: DateOrder
  timeZone: string
  /** ISO time of the import: the date of consent given in the file. */
  importedAt: string
  /** "import contacts.csv": where consent recorded by this import came from. */
  consentSource: string
}

export interface FieldError {
  field: string
  reason: string
}

export interface ConsentInput {
  status: ConsentStatus
  at: string
  source: string
}

/** The stored text fields a customer row can set; absent means "not in this row". */
export interface CustomerValues {
  external_id?: string
  first_name?: string
  last_name?: string
  email?: string
  phone?: string
  gender?: Gender
  birth_date?: string
  street?: string
  city?: string
  region?: string
  postal_code?: string
  country?: string
  company?: string
  job_title?: string
  source?: string
  territory?: string
  sales_rep?: string
  notes?: string
}

export interface CustomerInput {
  values: CustomerValues
  consent: Partial<Record<ConsentChannel, ConsentInput>>
  extra: Record<string, string>
  alternateEmails: string[]
  alternatePhones: string[]
  tags: string[]
}

const PLAIN_TEXT = ['external_id', 'first_name', 'last_name', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'notes'] as const

/** Splits "Smith, Anna" or "Anna Maria Smith" into first and last name. */
export function splitFullName(full: string): { first: string; last: string } {
  const t = full.trim().replace(/\s+/g, ' ')
  const comma = t.indexOf(',')
  if (comma > 0) return { last: t.slice(0, comma).trim(), first: t.slice(comma + 1).trim() }
  const space = t.lastIndexOf(' ')
  if (space < 0) return { first: t, last: '' }
  return { first: t.slice(0, space), last: t.slice(space + 1) }
}

/** Mailchimp writes its one Address column as parts separated by two spaces. */
export function splitMailchimpAddress(text: string): Partial<Record<'street' | 'city' | 'region' | 'postal_code' | 'country', string>> {
  const parts = text.split(/\s{2,}/).map((p) => p.trim()).filter(Boolean)
  if (parts.length === 6) return { street: `${parts[0]}, ${parts[1]}`, city: parts[2], region: parts[3], postal_code: parts[4], country: parts[5] }
  if (parts.length === 5) return { street: parts[0], city: parts[1], region: parts[2], postal_code: parts[3], country: parts[4] }
  return { street: text.trim() }
}

function splitTags(text: string): string[] {
  return text
    .split(/\s*(?::::|[,;|])\s*/)
    .map((t) => t.replace(/^\*\s*/, '').trim())
    .filter((t) => t !== '' && t !== 'myContacts')
}

/**
 * One CSV record as a customer: every field parsed and checked. Returns the input,
 * or the list of fields that are wrong (the row is then rejected as a whole).
 */
export function customerFromRecord(m: Mapping, fields: string[], ctx: RowContext): CustomerInput | FieldError[] {
  const errors: FieldError[] = []
  const cell = (i: number) => fields[i] ?? ''
  const firstOf = (field: string): string => {
    const cols = m.fields.get(field)
    if (!cols) return ''
    for (const c of cols) {
      const v = cell(c)
      // Outlook's 0/0/00 birthday, "Unspecified" gender, N/A company: empty, not an error.
      if (v !== '' && !isEmptyFieldValue(field, v)) return v
    }
    return ''
  }
  const valuesOf = (field: string): string[] => (m.fields.get(field) ?? []).map(cell).filter((v) => v !== '')
  const input: CustomerInput = { values: {}, consent: {}, extra: {}, alternateEmails: [], alternatePhones: [], tags: [] }
  const v = input.values

  for (const f of PLAIN_TEXT) {
    const t = firstOf(f)
    if (t !== '') v[f] = t
  }
  if (v.notes && containsCardNumber(v.notes)) errors.push(cardError(m.headers[m.fields.get('notes')![0]!]!))
  if (!v.first_name && !v.last_name) {
    const full = firstOf('full_name')
    if (full) {
      const { first, last } = splitFullName(full)
      if (first) v.first_name = first
      if (last) v.last_name = last
    }
  }

  const emails = valuesOf('email').flatMap((e) => e.split(/\s*:::\s*/))
  for (const [i, e] of emails.entries()) {
    const parsed = parseEmail(e)
    if (parsed instanceof ParseError) errors.push({ field: 'email', reason: parsed.reason })
    else if (i === 0) v.email = parsed
    else if (!input.alternateEmails.includes(parsed) && parsed.toLowerCase() !== v.email?.toLowerCase()) input.alternateEmails.push(parsed)
  }
  const phones = valuesOf('phone').flatMap((p) => p.split(/\s*:::\s*/))
  if (phones[0]) v.phone = phones[0]
  for (const p of phones.slice(1)) if (p !== v.phone && !input.alternatePhones.includes(p)) input.alternatePhones.push(p)

  const gender = firstOf('gender')
  if (gender) {
    const g = genderOf(gender)
    if (g instanceof ParseError) errors.push({ field: 'gender', reason: g.reason })
    else if (g) v.gender = g
  }
  const birth = firstOf('birth_date')
  if (birth) {
    const d = parseDate(birth, m.birthdayOrder ?? ctx.dateOrder)
    if (d instanceof ParseError) errors.push({ field: 'birth_date', reason: d.reason })
    else v.birth_date = d
  }

  // The address: the first group (plain columns, then Home, Business …) that has any part.
  const group = m.addressGroups.find((g) => Object.values(g).some((c) => cell(c!) !== ''))
  let address: Partial<Record<'street' | 'street2' | 'city' | 'region' | 'postal_code' | 'country', string>> = {}
  if (group) for (const [part, col] of Object.entries(group)) if (cell(col!) !== '') address[part as keyof typeof address] = cell(col!)
  const mc = firstOf('mailchimp_address')
  if (!group && mc) address = splitMailchimpAddress(mc)
  for (const g of m.addressGroups) {
    if (g === group) continue
    for (const col of Object.values(g)) if (cell(col!) !== '') input.extra[m.headers[col!]!] = cell(col!)
  }
  if (address.street || address.street2) v.street = [address.street, address.street2].filter(Boolean).join(', ')
  if (address.city) v.city = address.city
  if (address.region) v.region = address.region
  if (address.postal_code) v.postal_code = address.postal_code
  if (address.country) {
    const c = countryOf(address.country)
    if (c instanceof ParseError) errors.push({ field: 'country', reason: c.reason })
    else v.country = c
  }

  for (const ch of ['email', 'mail', 'sms', 'phone'] as const) {
    const t = firstOf(`consent_${ch}`)
    if (!t) continue
    const s = consentOf(t)
    if (s instanceof ParseError) errors.push({ field: `consent_${ch}`, reason: s.reason })
    else if (s !== 'unknown') input.consent[ch] = { status: s, at: ctx.importedAt, source: ctx.consentSource }
  }
  const unsubscribedAll = firstOf('email_unsubscribed')
  if (unsubscribedAll && /^(true|yes|1)$/i.test(unsubscribedAll)) {
    input.consent.email = { status: 'refused', at: ctx.importedAt, source: ctx.consentSource }
  }
  if (m.mailchimp) mailchimpConsent(m, cell, ctx, input, errors)

  const tags = firstOf('tags')
  if (tags) input.tags = splitTags(tags)

  for (const col of m.extra) {
    const value = cell(col)
    const header = m.headers[col]!
    if (value === '' || isEmptyFieldValue(header.toLowerCase(), value)) continue
    if (containsCardNumber(value)) errors.push(cardError(header))
    input.extra[header] = value
  }
  return errors.length ? errors : input
}

function cardError(header: string): FieldError {
  return {
    field: header,
    reason: `looks like a payment card number; crm never stores card numbers (drop the column with --map "${header}=-")`,
  }
}

/** Mailchimp's UNSUB_TIME is a refusal; CONFIRM_TIME (double opt-in) or OPTIN_TIME a grant, dated. */
function mailchimpConsent(m: Mapping, cell: (i: number) => string, ctx: RowContext, input: CustomerInput, errors: FieldError[]): void {
  const at = (col: number | undefined): string | null => {
    if (col === undefined || cell(col) === '') return null
    const t = parseTimestamp(cell(col), 'ymd', 'UTC')
    if (t instanceof ParseError) {
      errors.push({ field: m.headers[col]!, reason: t.reason })
      return null
    }
    return t
  }
  const unsub = at(m.mailchimp!.unsub)
  if (unsub) {
    input.consent.email = { status: 'refused', at: unsub, source: 'Mailchimp unsubscribe' }
    return
  }
  const granted = at(m.mailchimp!.confirm) ?? at(m.mailchimp!.optin)
  if (granted) input.consent.email = { status: 'granted', at: granted, source: 'Mailchimp opt-in' }
}
