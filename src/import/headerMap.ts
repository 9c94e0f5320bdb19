import { UsageError } from '../errors.js'
import { fold } from '../text/fold.js'
import { ALIASES, fieldsFor, type ImportType } from './headerAliases.js'

export type AddressPart = 'street' | 'street2' | 'city' | 'region' | 'postal_code' | 'country'

/** How the columns of one file feed crm's fields. */
export interface Mapping {
  type: ImportType
  /** Which exporter wrote the file, when its headers say so. */
  profile: string
  headers: string[]
  /** field → column indexes in priority order: the first non-empty is the value, the rest alternates. */
  fields: Map<string, number[]>
  /** Address columns by group (Home, Business, Address 1 …): the first group with data is the address. */
  addressGroups: Array<Partial<Record<AddressPart, number>>>
  /** Columns crm has no field for; kept in the customer's extra fields. */
  extra: number[]
  /** Columns dropped (`--map "Header=-"`, or unknown columns of a non-customer file). */
  ignored: number[]
  /** The exporter always writes birthdays in this order (Mailchimp: MM/DD), whatever --date-format says. */
  birthdayOrder?: 'mdy' | 'dmy'
  /** Mailchimp's opt-in and unsubscribe times: evidence for email consent. */
  mailchimp?: { optin?: number; confirm?: number; unsub?: number }
}

/** The comparison key of a header: folded, letters and digits only. */
export function headerKey(header: string): string {
  return fold(header).replace(/[^a-z0-9]/g, '')
}

function aliasIndex(type: ImportType): Map<string, string> {
  const index = new Map<string, string>()
  for (const [field, aliases] of Object.entries(ALIASES[type])) {
    index.set(headerKey(field), field)
    for (const a of aliases) index.set(a, field)
  }
  return index
}

const PHONE_RANK = ['primary', 'mobile', 'cell', 'home', 'business', 'work', 'other']

/** Grouped columns of Google and Outlook exports: address parts, numbered emails, phones. */
function groupedColumn(folded: string): { field: string; group?: string; rank?: number } | null {
  let m = /^(e-?mail|phone|address|organization) (\d+) - (.+)$/.exec(folded)
  if (m) {
    const [, kind, n, part] = m as unknown as [string, string, string, string]
    const rank = Number(n)
    if (kind.startsWith('e') && part === 'value') return { field: 'email', rank }
    if (kind === 'phone' && part === 'value') return { field: 'phone', rank }
    if (kind === 'organization' && rank === 1 && part === 'name') return { field: 'company' }
    if (kind === 'organization' && rank === 1 && part === 'title') return { field: 'job_title' }
    if (kind === 'address') {
      const parts: Record<string, AddressPart> = {
        street: 'street', city: 'city', region: 'region', 'postal code': 'postal_code', country: 'country', 'extended address': 'street2',
      }
      const p = parts[part]
      if (p) return { field: p, group: `address ${n}` }
    }
    return null
  }
  m = /^e-?mail (?:(\d) )?address$/.exec(folded)
  if (m) return { field: 'email', rank: m[1] ? Number(m[1]) : 1 }
  m = /^(home|business|other) (street|street 2|street 3|city|state|postal code|zip|country|country\/region)$/.exec(folded)
  if (m) {
    const part: AddressPart =
      m[2] === 'street' ? 'street' : m[2]!.startsWith('street') ? 'street2' : m[2] === 'city' ? 'city' : m[2] === 'state' ? 'region'
        : m[2] === 'postal code' || m[2] === 'zip' ? 'postal_code' : 'country'
    return { field: part, group: m[1]! }
  }
  m = /^(?:(\w+) )?phone(?: (\d))?$/.exec(folded)
  if (m && !folded.includes('fax')) {
    const r = PHONE_RANK.indexOf(m[1] ?? 'primary')
    return { field: 'phone', rank: (r < 0 ? PHONE_RANK.length : r) * 10 + Number(m[2] ?? 0) }
  }
  return null
}

function detectProfile(keys: Set<string>, type: ImportType): string {
  if (type !== 'customers') return 'crm'
  if (keys.has('memberrating') || keys.has('leid') || keys.has('optintime')) return 'Mailchimp'
  if (keys.has('recordid') && (keys.has('contactowner') || keys.has('lifecyclestage') || keys.has('createdate'))) return 'HubSpot'
  if (keys.has('email1value') && (keys.has('givenname') || keys.has('groupmembership'))) return 'Google Contacts (legacy)'
  if (keys.has('email1value')) return 'Google Contacts'
  if (keys.has('emailaddress') && (keys.has('homestreet') || keys.has('businessstreet') || keys.has('mobilephone'))) return 'Outlook'
  return 'generic'
}

/** Guesses the import type from the headers: score → nps; amount and a date or order → purchases. */
export function detectType(headers: string[]): ImportType {
  const keys = new Set(headers.map(headerKey))
  const has = (type: ImportType, field: string) => ALIASES[type][field]!.some((a) => keys.has(a)) || keys.has(headerKey(field))
  if (has('nps', 'score') && !has('customers', 'first_name')) return 'nps'
  if (has('purchases', 'amount') || (has('purchases', 'unit_price') && has('purchases', 'product'))) return 'purchases'
  if (has('interactions', 'channel') && has('interactions', 'kind')) return 'interactions'
  return 'customers'
}

/** Parses `--map "Header=field"` options. */
export function parseMapOptions(maps: string[]): Map<string, string> {
  const out = new Map<string, string>()
  for (const m of maps) {
    const at = m.lastIndexOf('=')
    if (at <= 0) throw new UsageError(`--map "${m}": use --map "Header=field" (or "Header=-" to drop a column)`)
    out.set(headerKey(m.slice(0, at)), m.slice(at + 1).trim())
  }
  return out
}

/** Maps headers to fields by name, never by position. */
export function buildMapping(rawHeaders: string[], type: ImportType, explicit = new Map<string, string>()): Mapping {
  const headers = rawHeaders.map((h) => h.trim())
  const keys = headers.map(headerKey)
  const valid = new Set(fieldsFor(type))
  for (const [key, field] of explicit) {
    if (!keys.includes(key)) {
      throw new UsageError(`--map: no column "${key}" in the file (columns: ${headers.join(', ')})`)
    }
    // field:NAME feeds a custom field: the column travels as an extra one (importFile maps it).
    if (field.startsWith('field:') && type === 'customers') continue
    if (field !== '-' && field !== 'ignore' && !valid.has(field)) {
      throw new UsageError(`--map: unknown field "${field}" for ${type} (fields: ${[...valid].join(', ')})`)
    }
  }
  const profile = detectProfile(new Set(keys), type)
  const aliases = aliasIndex(type)
  const ranked = new Map<string, Array<{ index: number; rank: number }>>()
  const groups = new Map<string, Partial<Record<AddressPart, number>>>()
  const mapping: Mapping = { type, profile, headers, fields: new Map(), addressGroups: [], extra: [], ignored: [] }
  if (profile === 'Mailchimp') mapping.birthdayOrder = 'mdy'
  const add = (field: string, index: number, rank = 0) => {
    const list = ranked.get(field) ?? []
    list.push({ index, rank })
    ranked.set(field, list)
  }
  headers.forEach((header, index) => {
    const key = keys[index]!
    const forced = explicit.get(key)
    if (forced === '-' || forced === 'ignore') return mapping.ignored.push(index)
    if (forced?.startsWith('field:')) return mapping.extra.push(index)
    if (forced) return add(forced, index, -1)
    if (header === '') return mapping.ignored.push(index)
    if (profile === 'Mailchimp') {
      // Mailchimp's CC and REGION come from the subscriber's IP address, not the postal address.
      if (key === 'optintime' || key === 'confirmtime' || key === 'unsubtime') {
        mapping.mailchimp ??= {}
        mapping.mailchimp[key === 'optintime' ? 'optin' : key === 'confirmtime' ? 'confirm' : 'unsub'] = index
        return mapping.extra.push(index)
      }
      if (key === 'address') return add('mailchimp_address', index)
      if (key === 'cc' || key === 'region') return mapping.extra.push(index)
    }
    if (type === 'customers') {
      const g = groupedColumn(fold(header))
      if (g?.group) {
        const group = groups.get(g.group) ?? {}
        if (group[g.field as AddressPart] === undefined) group[g.field as AddressPart] = index
        groups.set(g.group, group)
        return
      }
      if (g) return add(g.field, index, g.rank ?? 0)
    }
    const field = aliases.get(key)
    if (field) {
      if (type === 'customers' && ['street', 'street2', 'city', 'region', 'postal_code', 'country'].includes(field)) {
        const group = groups.get('') ?? {}
        if (group[field as AddressPart] === undefined) {
          group[field as AddressPart] = index
          groups.set('', group)
          return
        }
      }
      return add(field, index)
    }
    if (type === 'customers') mapping.extra.push(index)
    else mapping.ignored.push(index)
  })
  for (const [field, list] of ranked) {
    mapping.fields.set(field, list.sort((a, b) => a.rank - b.rank || a.index - b.index).map((c) => c.index))
  }
  // Plain address columns first, then Home (a shop writes to people's homes), then the rest in file order.
  const rank = (name: string) => (name === '' ? 0 : name === 'home' ? 1 : 2)
  const order = [...groups.entries()].sort((a, b) => rank(a[0]) - rank(b[0]))
  mapping.addressGroups = order.map(([, g]) => g)
  return mapping
}

/** A readable description of the mapping, for --dry-run. */
export function describeMapping(m: Mapping): string[] {
  const lines = [`type: ${m.type}`, `format: ${m.profile}`]
  for (const [field, cols] of m.fields) lines.push(`  ${cols.map((c) => `"${m.headers[c]}"`).join(', ')} → ${field}`)
  m.addressGroups.forEach((g, i) => {
    for (const [part, col] of Object.entries(g)) lines.push(`  "${m.headers[col!]}" → ${part}${m.addressGroups.length > 1 ? ` (address ${i + 1})` : ''}`)
  })
  if (m.extra.length) lines.push(`  kept as extra fields: ${m.extra.map((c) => `"${m.headers[c]}"`).join(', ')}`)
  if (m.ignored.length) lines.push(`  ignored: ${m.ignored.map((c) => `"${m.headers[c]}"`).join(', ')}`)
  return lines
}
