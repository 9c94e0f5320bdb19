import { customerKeys } from '../customers/customerKeys.js'
import type { ConsentChannel } from '../db/schema.js'
import { memo } from '../util/memo.js'
import { preparedCustomer, type PreparedCustomer } from './customerColumns.js'
import { cell, splitFullName, splitMailchimpAddress, type CustomerInput, type CustomerValues, type FieldError, type RowContext } from './customerRow.js'
import type { AddressPart, Mapping } from './headerMap.js'
import { ParseError, parseDate, parseTimestamp } from './parse/dates.js'
import { containsCardNumber, parseConsent, parseCountry, parseEmail, parseGender, phoneToE164 } from './parse/fields.js'
import { EMPTY_KIND_OF_FIELD, isEmptyFieldValue } from './parse/emptyValues.js'

// Gender, country and consent cells repeat a handful of spellings down a file.
const genderOf = memo(parseGender)
const countryOf = memo(parseCountry)
const consentOf = memo(parseConsent)

const PLAIN_TEXT = ['external_id', 'first_name', 'last_name', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'notes'] as const
const CHANNELS: ConsentChannel[] = ['email', 'mail', 'sms', 'phone']
const TRUE_WORD = /^(true|yes|1)$/i

/** The first non-empty cell of these columns, or ''. */
function firstOf(fields: string[], cols: number[]): string {
  for (let i = 0; i < cols.length; i++) {
    const v = cell(fields, cols[i]!)
    if (v !== '') return v
  }
  return ''
}

/**
 * The first cell of these columns that holds something for this field: Outlook's 0/0/00
 * birthday, "Unspecified" gender and an N/A company are empty here, not errors.
 */
function firstMeaningful(field: string, fields: string[], cols: number[]): string {
  for (let i = 0; i < cols.length; i++) {
    const v = cell(fields, cols[i]!)
    if (v !== '' && !isEmptyFieldValue(field, v)) return v
  }
  return ''
}

/** Every non-empty cell of these columns, each split at ":::" (Google's several values in one cell). */
function allOf(fields: string[], cols: number[]): string[] {
  const out: string[] = []
  for (const c of cols) {
    const v = cell(fields, c)
    if (v === '') continue
    if (v.includes(':::')) out.push(...v.split(/\s*:::\s*/))
    else out.push(v)
  }
  return out
}

function splitTags(text: string): string[] {
  return text
    .split(/\s*(?::::|[,;|])\s*/)
    .map((t) => t.replace(/^\*\s*/, '').trim())
    .filter((t) => t !== '' && t !== 'myContacts')
}

function cardError(header: string): FieldError {
  return {
    field: header,
    reason: `looks like a payment card number; crm never stores card numbers (drop the column with --map "${header}=-")`,
  }
}

/** `deferPhone`: leave the phone number to the main thread (PreparedCustomer.phoneCountry). */
export type CustomerPlan = (fields: string[], deferPhone?: boolean) => PreparedCustomer | FieldError[]

/**
 * The checks of one file's customer rows, compiled once for its header mapping: which
 * columns feed which field, which parts (full name, address groups, consent, Mailchimp)
 * the file has at all, each looked up here and not again per row. The plan turns one CSV
 * record into the row to write (src/import/customerColumns.ts), or the list of fields that
 * are wrong (the row is then rejected as a whole).
 */
export function customerPlan(m: Mapping, ctx: RowContext, defaultCountry: string): CustomerPlan {
  const cols = (field: string): number[] => m.fields.get(field) ?? []
  const plain = PLAIN_TEXT.map((f) => [f, cols(f), f in EMPTY_KIND_OF_FIELD] as const).filter(([, c]) => c.length > 0)
  const notesHeader = m.fields.has('notes') ? m.headers[cols('notes')[0]!]! : ''
  const fullName = cols('full_name')
  const emailCols = cols('email')
  const phoneCols = cols('phone')
  const genderCols = cols('gender')
  const birthCols = cols('birth_date')
  const birthOrder = m.birthdayOrder ?? ctx.dateOrder
  const groups = m.addressGroups.map((g) => Object.entries(g) as Array<[AddressPart, number]>)
  const mailchimpAddress = cols('mailchimp_address')
  const consentCols = CHANNELS.map((ch) => [ch, cols(`consent_${ch}`)] as const).filter(([, c]) => c.length > 0)
  const unsubscribedCols = cols('email_unsubscribed')
  const tagCols = cols('tags')
  const extraCols = m.extra.map((c) => [c, m.headers[c]!, m.headers[c]!.toLowerCase()] as const)
  const mailchimp = m.mailchimp

  return (fields, deferPhone = false) => {
    const errors: FieldError[] = []
    const input: CustomerInput = { values: {}, consent: {}, extra: {}, alternateEmails: [], alternatePhones: [], tags: [] }
    const v = input.values
    for (const [f, c, mayBeEmptySpelling] of plain) {
      const t = mayBeEmptySpelling ? firstMeaningful(f, fields, c) : firstOf(fields, c)
      if (t !== '') v[f] = t
    }
    if (v.notes && containsCardNumber(v.notes)) errors.push(cardError(notesHeader))
    if (!v.first_name && !v.last_name && fullName.length) {
      const full = firstOf(fields, fullName)
      if (full) {
        const { first, last } = splitFullName(full)
        if (first) v.first_name = first
        if (last) v.last_name = last
      }
    }

    if (emailCols.length) {
      const emails = allOf(fields, emailCols)
      for (let i = 0; i < emails.length; i++) {
        const parsed = parseEmail(emails[i]!)
        if (parsed instanceof ParseError) errors.push({ field: 'email', reason: parsed.reason })
        else if (i === 0) v.email = parsed
        else if (!input.alternateEmails.includes(parsed) && parsed.toLowerCase() !== v.email?.toLowerCase()) input.alternateEmails.push(parsed)
      }
    }
    if (phoneCols.length) {
      const phones = allOf(fields, phoneCols)
      if (phones[0]) v.phone = phones[0]
      for (let i = 1; i < phones.length; i++) {
        const p = phones[i]!
        if (p !== v.phone && !input.alternatePhones.includes(p)) input.alternatePhones.push(p)
      }
    }

    const gender = firstMeaningful('gender', fields, genderCols)
    if (gender) {
      const g = genderOf(gender)
      if (g instanceof ParseError) errors.push({ field: 'gender', reason: g.reason })
      else if (g) v.gender = g
    }
    const birth = firstMeaningful('birth_date', fields, birthCols)
    if (birth) {
      const d = parseDate(birth, birthOrder)
      if (d instanceof ParseError) errors.push({ field: 'birth_date', reason: d.reason })
      else v.birth_date = d
    }

    address(fields, v, input, errors)

    for (const [ch, c] of consentCols) {
      const t = firstOf(fields, c)
      if (!t) continue
      const s = consentOf(t)
      if (s instanceof ParseError) errors.push({ field: `consent_${ch}`, reason: s.reason })
      else if (s !== 'unknown') input.consent[ch] = { status: s, at: ctx.importedAt, source: ctx.consentSource }
    }
    const unsubscribedAll = firstOf(fields, unsubscribedCols)
    if (unsubscribedAll && TRUE_WORD.test(unsubscribedAll)) {
      input.consent.email = { status: 'refused', at: ctx.importedAt, source: ctx.consentSource }
    }
    if (mailchimp) mailchimpConsent(fields, input, errors)

    const tags = firstOf(fields, tagCols)
    if (tags) input.tags = splitTags(tags)

    for (const [col, header, field] of extraCols) {
      const value = cell(fields, col)
      if (value === '' || isEmptyFieldValue(field, value)) continue
      if (containsCardNumber(value)) errors.push(cardError(header))
      input.extra[header] = value
    }
    if (errors.length) return errors

    const phoneCountry = v.phone && deferPhone ? (v.country ?? defaultCountry) : undefined
    const phoneE164 = v.phone && !deferPhone ? phoneToE164(v.phone, v.country ?? defaultCountry) : null
    const keys = customerKeys({
      first_name: v.first_name, last_name: v.last_name, email: v.email, phone: v.phone, phone_e164: phoneE164, company: v.company,
      city: v.city, region: v.region, territory: v.territory, sales_rep: v.sales_rep, source: v.source,
    })
    return preparedCustomer(input, phoneE164, keys, phoneCountry)
  }

  /** The first group (plain columns, then Home, Business …) that has any part is the address; other groups go to extra. */
  function address(fields: string[], v: CustomerValues, input: CustomerInput, errors: FieldError[]): void {
    const part = (i: number) => cell(fields, i)
    let chosen = -1
    for (let g = 0; g < groups.length && chosen < 0; g++) if (groups[g]!.some(([, c]) => part(c) !== '')) chosen = g
    let address: Partial<Record<AddressPart, string>> = {}
    if (chosen >= 0) for (const [name, col] of groups[chosen]!) if (part(col) !== '') address[name] = part(col)
    if (chosen < 0 && mailchimpAddress.length) {
      const mc = firstOf(fields, mailchimpAddress)
      if (mc) address = splitMailchimpAddress(mc)
    }
    for (let g = 0; g < groups.length; g++) {
      if (g === chosen) continue
      for (const [, col] of groups[g]!) if (part(col) !== '') input.extra[m.headers[col]!] = part(col)
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
  }

  /** Mailchimp's UNSUB_TIME is a refusal; CONFIRM_TIME (double opt-in) or OPTIN_TIME a grant, dated. */
  function mailchimpConsent(fields: string[], input: CustomerInput, errors: FieldError[]): void {
    const at = (col: number | undefined): string | null => {
      if (col === undefined || (fields[col] ?? '') === '') return null
      const t = parseTimestamp(fields[col]!, 'ymd', 'UTC')
      if (t instanceof ParseError) {
        errors.push({ field: m.headers[col]!, reason: t.reason })
        return null
      }
      return t
    }
    const unsub = at(mailchimp!.unsub)
    if (unsub) {
      input.consent.email = { status: 'refused', at: unsub, source: 'Mailchimp unsubscribe' }
      return
    }
    const granted = at(mailchimp!.confirm) ?? at(mailchimp!.optin)
    if (granted) input.consent.email = { status: 'granted', at: granted, source: 'Mailchimp opt-in' }
  }
}
