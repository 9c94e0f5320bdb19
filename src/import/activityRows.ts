import { INTERACTION_CHANNELS, INTERACTION_KINDS } from '../db/schema.js'
import { fold } from '../text/fold.js'
import { cell, type FieldError, type RowContext } from './customerRow.js'
import type { Mapping } from './headerMap.js'
import { ParseError, parseTimestamp } from './parse/dates.js'
import { isCurrencyCode, parseAmount } from './parse/money.js'
import { parseEmail } from './parse/fields.js'

/** How a purchase, contact or answer names its customer. */
export interface CustomerRef {
  email: string | null
  externalId: string | null
}

export interface PurchaseInput {
  ref: CustomerRef
  purchased_at: string
  amount_cents: number
  currency: string
  product: string | null
  category: string | null
  quantity: number
  order_id: string | null
  line: number | null
}

export interface InteractionInput {
  ref: CustomerRef
  occurred_at: string
  channel: (typeof INTERACTION_CHANNELS)[number]
  kind: (typeof INTERACTION_KINDS)[number]
  note: string | null
}

export interface NpsInput {
  ref: CustomerRef
  score: number
  answered_at: string
  comment: string | null
  campaign: string | null
}

export interface ActivityContext extends RowContext {
  baseCurrency: string
  /** NPS answers without a customer are allowed (kept anonymous). */
  refOptional?: boolean
}

function reader(m: Mapping, fields: string[]) {
  return (field: string): string => {
    for (const c of m.fields.get(field) ?? []) {
      const v = cell(fields, c)
      if (v !== '') return v
    }
    return ''
  }
}

function readRef(get: (f: string) => string, errors: FieldError[], optional: boolean): CustomerRef {
  const email = get('customer_email')
  const externalId = get('customer_external_id')
  let parsedEmail: string | null = null
  if (email) {
    const e = parseEmail(email)
    if (e instanceof ParseError) errors.push({ field: 'customer_email', reason: e.reason })
    else parsedEmail = e
  }
  if (!email && !externalId && !optional) {
    errors.push({ field: 'customer_email', reason: 'no customer: give customer_email or customer_external_id' })
  }
  return { email: parsedEmail, externalId: externalId || null }
}

function timestamp(get: (f: string) => string, field: string, ctx: RowContext, errors: FieldError[]): string {
  const t = get(field)
  if (!t) {
    errors.push({ field, reason: 'missing' })
    return ''
  }
  const parsed = parseTimestamp(t, ctx.dateOrder, ctx.timeZone)
  if (parsed instanceof ParseError) {
    errors.push({ field, reason: parsed.reason })
    return ''
  }
  return parsed
}

function integer(text: string, field: string, errors: FieldError[]): number | null {
  if (text === '') return null
  if (!/^-?\d+$/.test(text)) {
    errors.push({ field, reason: `"${text}" is not a whole number` })
    return null
  }
  return Number(text)
}

export function purchaseFromRecord(m: Mapping, fields: string[], ctx: ActivityContext): PurchaseInput | FieldError[] {
  const errors: FieldError[] = []
  const get = reader(m, fields)
  const ref = readRef(get, errors, false)
  const purchased_at = timestamp(get, 'purchased_at', ctx, errors)
  let currency = get('currency').toUpperCase()
  if (currency && !isCurrencyCode(currency)) errors.push({ field: 'currency', reason: `"${currency}" is not a currency code` })
  const quantity = integer(get('quantity'), 'quantity', errors) ?? 1
  let amount_cents = 0
  const amountText = get('amount')
  const unitText = get('unit_price')
  if (!amountText && !unitText) errors.push({ field: 'amount', reason: 'missing' })
  else {
    const money = parseAmount(amountText || unitText, currency || ctx.baseCurrency)
    if (money instanceof ParseError) errors.push({ field: amountText ? 'amount' : 'unit_price', reason: money.reason })
    else {
      if (money.currency && currency && money.currency !== currency) {
        errors.push({ field: 'amount', reason: `says ${money.currency} but the currency column says ${currency}` })
      }
      currency ||= money.currency ?? ctx.baseCurrency
      amount_cents = amountText ? money.cents : money.cents * quantity
    }
  }
  const line = integer(get('line'), 'line', errors)
  if (errors.length) return errors
  return {
    ref,
    purchased_at,
    amount_cents,
    currency,
    product: get('product') || null,
    category: get('category') || null,
    quantity,
    order_id: get('order_id') || null,
    line,
  }
}

const CHANNEL_ALIASES: Record<string, InteractionInput['channel']> = {
  call: 'phone', telephone: 'phone', tel: 'phone', 'e-mail': 'email', mail: 'email', 'in person': 'visit', store: 'visit',
  shop: 'visit', meeting: 'visit', post: 'letter', facebook: 'social', instagram: 'social', twitter: 'social', x: 'social',
  whatsapp: 'sms', text: 'sms',
}
const KIND_ALIASES: Record<string, InteractionInput['kind']> = {
  phone: 'call', complaint: 'complaint', question: 'question', enquiry: 'question', inquiry: 'question', review: 'review',
  feedback: 'review', note: 'note', comment: 'note', purchase: 'order',
}

export function interactionFromRecord(m: Mapping, fields: string[], ctx: ActivityContext): InteractionInput | FieldError[] {
  const errors: FieldError[] = []
  const get = reader(m, fields)
  const ref = readRef(get, errors, false)
  const occurred_at = timestamp(get, 'occurred_at', ctx, errors)
  const ch = fold(get('channel'))
  const channel = (INTERACTION_CHANNELS as readonly string[]).includes(ch) ? (ch as InteractionInput['channel']) : CHANNEL_ALIASES[ch]
  if (!channel) errors.push({ field: 'channel', reason: `"${get('channel')}" is not a channel (${INTERACTION_CHANNELS.join(', ')})` })
  const k = fold(get('kind') || 'note')
  const kind = (INTERACTION_KINDS as readonly string[]).includes(k) ? (k as InteractionInput['kind']) : KIND_ALIASES[k]
  if (!kind) errors.push({ field: 'kind', reason: `"${get('kind')}" is not a kind (${INTERACTION_KINDS.join(', ')})` })
  if (errors.length) return errors
  return { ref, occurred_at, channel: channel!, kind: kind!, note: get('note') || null }
}

export function npsFromRecord(m: Mapping, fields: string[], ctx: ActivityContext): NpsInput | FieldError[] {
  const errors: FieldError[] = []
  const get = reader(m, fields)
  const ref = readRef(get, errors, ctx.refOptional ?? false)
  const answered_at = timestamp(get, 'answered_at', ctx, errors)
  const scoreText = get('score')
  let score = -1
  if (!scoreText) errors.push({ field: 'score', reason: 'missing' })
  else if (!/^\d{1,2}$/.test(scoreText) || Number(scoreText) > 10) {
    errors.push({ field: 'score', reason: `"${scoreText}" is not a score (a whole number from 0 to 10)` })
  } else score = Number(scoreText)
  if (errors.length) return errors
  return { ref, score, answered_at, comment: get('comment') || null, campaign: get('campaign') || null }
}
