import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { UsageError } from '../errors.js'
import { listFields } from '../fields/fieldDefinitions.js'
import { shownValue, valueText } from '../fields/fieldValue.js'
import type { LabelEntry } from './selectRecipients.js'

/**
 * `crm labels --line "Card {loyalty_number}"`: an extra line under each address, with
 * {NAME} filled from the customer's own fields or the shop's custom fields. A line whose
 * every {NAME} is empty for a customer is left off, so "Card " never prints alone; a line
 * without any {NAME} prints on every label.
 */
export type LinePart = { text: string } | { name: string }
export type LineTemplate = LinePart[]

/** The customer's own fields a line may name; the address is already on the label. */
const BUILT_IN = ['external_id', 'first_name', 'last_name', 'email', 'phone', 'company', 'job_title', 'source', 'territory', 'sales_rep'] as const
type BuiltIn = (typeof BUILT_IN)[number]

export function parseLineTemplate(text: string): LineTemplate {
  const parts: LineTemplate = []
  const re = /\{([^{}]*)\}|([^{}]+)|([{}])/g
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[3]) throw new UsageError(`--line "${text}": an unmatched "${m[3]}" (write {NAME} for a field)`)
    if (m[2]) parts.push({ text: m[2] })
    else parts.push({ name: m[1]!.trim() })
  }
  return parts
}

/** Appends each template's line to every label, filled from the label's first customer. */
export async function addTemplateLines(db: Kysely<Database>, labels: LabelEntry[], templates: readonly LineTemplate[], currency: string): Promise<void> {
  if (templates.length === 0 || labels.length === 0) return
  const fields = await listFields(db)
  const byName = new Map(fields.map((f) => [f.name.toLowerCase(), f]))
  const byId = new Map(fields.map((f) => [f.id, f]))
  const names = new Set(templates.flatMap((t) => t.flatMap((p) => ('name' in p ? [p.name] : []))))
  for (const n of names) {
    if (!byName.has(n.toLowerCase()) && !(BUILT_IN as readonly string[]).includes(n)) {
      throw new UsageError(`--line: {${n}} is neither a custom field (crm field list) nor one of ${BUILT_IN.join(', ')}`)
    }
  }
  const ids = labels.map((l) => l.customerIds[0]!)
  const values = new Map<number, Map<string, string>>(ids.map((id) => [id, new Map()]))
  // In chunks: SQLite binds at most 32,766 parameters in one statement.
  for (let i = 0; i < ids.length; i += 5000) {
    const chunk = ids.slice(i, i + 5000)
    const rows = await db.selectFrom('customers').select(['id', ...BUILT_IN]).where('id', 'in', chunk).execute()
    for (const r of rows) for (const c of BUILT_IN) values.get(r.id)!.set(c, r[c as BuiltIn] ?? '')
    const custom = await db
      .selectFrom('customer_field_values')
      .select(['customer_id', 'field_id', 'value_text', 'value_num'])
      .where('customer_id', 'in', chunk)
      .execute()
    for (const v of custom) {
      const f = byId.get(v.field_id)
      if (f) values.get(v.customer_id)!.set(f.name.toLowerCase(), valueText(shownValue(f, v, currency)))
    }
  }
  for (const label of labels) {
    const own = values.get(label.customerIds[0]!)!
    for (const t of templates) {
      let filled = false
      const line = t
        .map((p) => {
          if ('text' in p) return p.text
          const v = own.get(byName.has(p.name.toLowerCase()) ? p.name.toLowerCase() : p.name) ?? ''
          if (v !== '') filled = true
          return v
        })
        .join('')
        .trim()
      const fixedText = !t.some((p) => 'name' in p)
      if ((filled || fixedText) && line !== '') label.lines.push(line)
    }
  }
}
