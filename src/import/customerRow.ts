import type { ConsentChannel, ConsentStatus, Gender } from '../db/schema.js'
import type { DateOrder } from './parse/dates.js'

// The checks that turn a CSV record into this input are compiled per file: customerPlan.ts.

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

/**
 * A cell without its outer spaces, '' when the row is short. csv-parse's `trim` stops at quotes,
 * and exports that quote every cell (Outlook) write `"  "` for nothing and `" Anna "` for Anna.
 */
export const cell = (fields: string[], col: number): string => fields[col]?.trim() ?? ''
