import { UsageError } from '../errors.js'
import { parseDate, ParseError } from '../import/parse/dates.js'
import { parseCountry, parseEmail, parseGender, phoneToE164 } from '../import/parse/fields.js'
import { customerKeys } from './customerKeys.js'

/** The fields `crm add` and `crm edit` set, in the order `show` and `export` list them. */
export const EDITABLE_FIELDS = [
  'external_id', 'first_name', 'last_name', 'email', 'phone', 'gender', 'birth_date', 'street', 'city', 'region',
  'postal_code', 'country', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'notes',
] as const
export type EditableField = (typeof EDITABLE_FIELDS)[number]

/** Checked values; `null` clears a field (an empty flag value: `--city ""`). */
export type FieldValues = Partial<Record<EditableField, string | null>>

/** The command-line flag of a field: sales_rep is --rep (the filter's name), the rest kebab-case. */
export function flagOf(field: EditableField): string {
  return field === 'sales_rep' ? '--rep' : '--' + field.replace(/_/g, '-')
}

/**
 * Checks raw flag values the way import checks a CSV cell: email, gender, birth date
 * and country are parsed (a bad one is a usage error naming the flag), the rest trimmed.
 */
export function checkFieldValues(raw: Partial<Record<EditableField, string>>): FieldValues {
  const out: FieldValues = {}
  for (const field of EDITABLE_FIELDS) {
    const given = raw[field]
    if (given === undefined) continue
    const text = given.trim()
    if (text === '') {
      out[field] = null
      continue
    }
    const parsed = parseField(field, text)
    if (parsed instanceof ParseError) throw new UsageError(`${flagOf(field)}: ${parsed.reason}`)
    out[field] = parsed
  }
  return out
}

function parseField(field: EditableField, text: string): string | ParseError {
  switch (field) {
    case 'email':
      return parseEmail(text)
    case 'gender': {
      const g = parseGender(text)
      return g ?? new ParseError(`"${text}" is not a gender (use f, m or x)`)
    }
    case 'birth_date':
      // ISO only on the command line: 03/04/1990 would be a guess.
      if (!/^(\d{4}-\d{2}-\d{2}|--\d{2}-\d{2})$/.test(text)) return new ParseError(`"${text}" is not a date (use YYYY-MM-DD, or --MM-DD without the year)`)
      return parseDate(text, 'ymd')
    case 'country':
      return parseCountry(text)
    default:
      return text
  }
}

/** Every column derived from the stored fields: E.164 phone and the folded search keys. */
export function derivedColumns(c: FieldValues, defaultCountry: string) {
  const phone_e164 = c.phone ? phoneToE164(c.phone, c.country ?? defaultCountry) : null
  return { phone_e164, ...customerKeys({ ...c, phone_e164 }) }
}
