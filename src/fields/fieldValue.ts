import type { CustomFieldType } from '../db/schema.js'
import { parseDate, ParseError, type DateOrder } from '../import/parse/dates.js'
import { minorDigits, parseAmount } from '../import/parse/money.js'
import { fold } from '../text/fold.js'

/** A custom field as the program uses it (choices parsed). */
export interface FieldDefinition {
  id: number
  name: string
  label: string | null
  type: CustomFieldType
  /** The allowed values of a choice field, in the order they were given; null otherwise. */
  choices: string[] | null
  position: number
}

/** A value in its typed home: the columns of one customer_field_values row. */
export interface StoredValue {
  value_text: string | null
  value_key: string | null
  value_num: number | null
}

export interface ValueOptions {
  /** The base currency: money values are minor units of it. */
  currency: string
  /** How to read 03/04/2024 (import files say; the command line is year-first). */
  dateOrder?: DateOrder
}

const TRUE = new Set(['true', 'yes', 'y', '1', 'on', 'x', 'ja', 'oui', 'si', 'sí'])
const FALSE = new Set(['false', 'no', 'n', '0', 'off', 'nein', 'non'])
const NUMBER = /^[+-]?(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$|^[+-]?\.\d+$/

const text = (t: string): StoredValue => ({ value_text: t, value_key: fold(t), value_num: null })
const num = (n: number): StoredValue => ({ value_text: null, value_key: null, value_num: n })

/**
 * Reads a value typed by a person or found in a file into its typed home.
 * An empty (or blank) value is `null`: the field is cleared. A value that does not fit the
 * type is a ParseError whose reason names the fix ("not one of low, middle, high").
 */
export function parseFieldValue(def: FieldDefinition, raw: string, o: ValueOptions): StoredValue | null | ParseError {
  const t = raw.trim()
  if (t === '') return null
  switch (def.type) {
    case 'text':
      return text(t)
    case 'number': {
      if (!NUMBER.test(t)) return new ParseError(`"${raw}" is not a number (e.g. 2 or 3.5)`)
      const n = Number(t.replace(/,/g, ''))
      return Number.isFinite(n) ? num(n) : new ParseError(`"${raw}" is too large`)
    }
    case 'money': {
      const m = parseAmount(t, o.currency)
      if (m instanceof ParseError) return m
      if (m.currency !== null && m.currency !== o.currency) {
        return new ParseError(`"${raw}" is in ${m.currency}; money fields are in the base currency ${o.currency}`)
      }
      return num(m.cents)
    }
    case 'date': {
      const d = parseDate(t, o.dateOrder ?? 'ymd')
      if (d instanceof ParseError) return d
      if (d.startsWith('--')) return new ParseError(`"${raw}" has no year (write YYYY-MM-DD)`)
      return { value_text: d, value_key: d, value_num: null }
    }
    case 'bool': {
      const f = fold(t)
      if (TRUE.has(f)) return num(1)
      if (FALSE.has(f)) return num(0)
      return new ParseError(`"${raw}" is not yes or no (true/false, 1/0 work too)`)
    }
    case 'choice': {
      const key = fold(t)
      const choice = (def.choices ?? []).find((c) => fold(c) === key)
      if (choice === undefined) return new ParseError(`"${raw}" is not one of ${(def.choices ?? []).join(', ')}`)
      return text(choice)
    }
  }
}

/** A money value's minor units as a decimal text in the base currency: 1250 → "12.50". */
export function formatMoney(cents: number, currency: string): string {
  const digits = minorDigits(currency)
  const abs = Math.abs(cents)
  const whole = Math.floor(abs / 10 ** digits)
  const frac = digits > 0 ? '.' + String(abs % 10 ** digits).padStart(digits, '0') : ''
  return `${cents < 0 ? '-' : ''}${whole}${frac}`
}

/** What a value shows as: text for text, choice, date and money; a number; true/false. */
export type ShownValue = string | number | boolean | null

/** A stored value as output shows it (query rows, show, export). */
export function shownValue(def: Pick<FieldDefinition, 'type'>, v: Pick<StoredValue, 'value_text' | 'value_num'> | undefined, currency: string): ShownValue {
  if (!v) return null
  switch (def.type) {
    case 'number':
      return v.value_num === null ? null : Number(v.value_num)
    case 'money':
      return v.value_num === null ? null : formatMoney(Number(v.value_num), currency)
    case 'bool':
      return v.value_num === null ? null : Number(v.value_num) !== 0
    default:
      return v.value_text
  }
}

/** A shown value as one line of text (vCard, labels, show). */
export function valueText(v: ShownValue): string {
  if (v === null) return ''
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  return String(v)
}
