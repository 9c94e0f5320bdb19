import { Option, type Command } from 'commander'
import type { Config } from '../config/config.js'
import type { ConsentChannel, Gender } from '../db/schema.js'
import { UsageError } from '../errors.js'
import { ParseError } from '../import/parse/dates.js'
import { parseGender } from '../import/parse/gender.js'
import { parseWhere, whereText } from '../fields/whereGrammar.js'
import { FilterSpec } from '../query/filterSpec.js'
import { parseRfmSegment, RFM_SEGMENTS } from '../reports/rfmSegments.js'
import { fold } from '../text/fold.js'

/** The filter flags exactly as commander hands them over. */
export interface FilterOptions {
  gender?: string
  ageMin?: string
  ageMax?: string
  birthdayWithin?: string
  city?: string
  state?: string
  region?: string
  zip?: string
  postalCode?: string
  country?: string
  territory?: string
  rep?: string
  source?: string
  tag?: string[]
  consent?: string[]
  search?: string
  days?: string
  since?: string
  until?: string
  spentGt?: string
  spentLt?: string
  ordersGt?: string
  bought?: string
  category?: string
  inactiveDays?: string
  rfmSegment?: string
  segment?: string
  where?: string[]
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value]

/** The flags of the shared customer filter, one definition for every command that selects customers. */
export function addFilterOptions(cmd: Command): Command {
  const group = 'Filter options:'
  const options = [
    new Option('--gender <g>', 'f, m or x (female/woman/w, male/man, other/diverse… too)'),
    new Option('--age-min <years>', 'at least this old today'),
    new Option('--age-max <years>', 'at most this old today'),
    new Option('--birthday-within <days>', 'birthday today or in the next N days (29 Feb counts on 1 Mar in common years)'),
    new Option('--city <name>', 'city (case- and accent-insensitive)'),
    new Option('--state <name>', 'state or region (case- and accent-insensitive)'),
    new Option('--region <name>', 'same as --state'),
    new Option('--zip <prefix>', 'postal code starting with PREFIX'),
    new Option('--postal-code <prefix>', 'same as --zip'),
    new Option('--country <code>', 'ISO country code, e.g. DE'),
    new Option('--territory <name>', 'sales territory'),
    new Option('--rep <name>', 'sales rep'),
    new Option('--source <name>', 'how they heard of us'),
    new Option('--tag <name>', 'has this tag (repeatable: all must match)').argParser(collect),
    new Option('--consent <channel>', 'may be contacted on email|mail|sms|phone (repeatable)').argParser(collect),
    new Option('--search <text>', 'words (or parts of words) in name, email, company, street, city, postal code or notes; or phone digits'),
    new Option('--days <n>', 'purchase window: local midnight N days ago through now'),
    new Option('--since <date>', 'purchase window from this day (YYYY-MM-DD)'),
    new Option('--until <date>', 'purchase window through this day (YYYY-MM-DD)'),
    new Option('--spent-gt <amount>', 'spent more than AMOUNT in the window (base currency, e.g. 500 or 499.99)'),
    new Option('--spent-lt <amount>', 'spent less than AMOUNT in the window (includes those who bought nothing)'),
    new Option('--orders-gt <n>', 'more than N orders in the window'),
    new Option('--bought <product>', 'bought this product in the window'),
    new Option('--category <name>', 'bought something in this category in the window'),
    new Option('--inactive-days <n>', 'bought before, but nothing for N days (lapsed)'),
    new Option('--rfm-segment <name>', 'in this RFM segment (champions, loyal, at risk, …: crm report rfm)'),
    new Option('--segment <name>', 'a saved segment (crm segment save); other flags narrow it'),
    new Option('--where <condition>', 'a custom field condition, e.g. "children>=2", "income_band=high", "loyalty_no is empty" (repeatable: all must hold)').argParser(collect),
  ]
  for (const o of options) cmd.addOption(o.helpGroup(group))
  return cmd
}

const CONSENT_ALIASES: Record<string, ConsentChannel> = {
  email: 'email', 'e-mail': 'email', mail: 'mail', post: 'mail', letter: 'mail', postal: 'mail', sms: 'sms', text: 'sms',
  phone: 'phone', call: 'phone', telephone: 'phone',
}

/** f, m or x from the spellings the importer understands (female, Woman, w, Frau, ж, diverse…). */
export function parseGenderFlag(value: string): Gender {
  const g = parseGender(value)
  if (g === null || g instanceof ParseError) throw new UsageError(`--gender: "${value}" is not a gender (use f, m or x)`)
  return g
}

function parseCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`${flag}: "${value}" is not a whole number`)
  return Number(value)
}

function minorDigits(currency: string): number {
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    return 2
  }
}

/**
 * An amount typed on the command line in the base currency, as integer minor units:
 * "500" → 50000, "499.99" → 49999, "1,250.50" → 125050, "-20" → -2000 (net refunds).
 */
export function parseMoneyFlag(flag: string, value: string, currency: string): number {
  const t = value.trim()
  const m = /^(-)?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$/.exec(t)
  const digits = minorDigits(currency)
  if (!m || (m[3] ?? '').length > digits) {
    const example = digits > 0 ? `500 or 499.${'9'.repeat(digits)}` : '500'
    throw new UsageError(`${flag}: "${value}" is not an amount in ${currency} (e.g. ${example})`)
  }
  const whole = Number(m[2]!.replace(/,/g, ''))
  const frac = Number((m[3] ?? '').padEnd(digits, '0') || '0')
  const cents = whole * 10 ** digits + frac
  if (!Number.isSafeInteger(cents)) throw new UsageError(`${flag}: "${value}" is too large`)
  return m[1] ? -cents : cents
}

function oneOf(flagA: string, a: string | undefined, flagB: string, b: string | undefined): string | undefined {
  if (a !== undefined && b !== undefined && a !== b) throw new UsageError(`${flagA} and ${flagB} are the same filter: give one`)
  return a ?? b
}

function parseRfmSegmentFlag(value: string): string {
  const segment = parseRfmSegment(value)
  if (!segment) throw new UsageError(`--rfm-segment: "${value}" is not an RFM segment (use ${RFM_SEGMENTS.join(', ')})`)
  return segment
}

/** Turns the filter flags into a checked FilterSpec; a bad value is a usage error naming the flag. */
export function filterSpecFromOptions(opts: FilterOptions, config: Pick<Config, 'currency'>): FilterSpec {
  const country = opts.country?.trim().toUpperCase()
  if (country !== undefined && !/^[A-Z]{2}$/.test(country)) {
    throw new UsageError(`--country: "${opts.country}" is not a two-letter country code (e.g. US, DE)`)
  }
  for (const [flag, v] of [['--since', opts.since], ['--until', opts.until]] as const) {
    if (v !== undefined && !FilterSpec.shape.since.safeParse(v).success) {
      throw new UsageError(`${flag}: "${v}" is not a date (use YYYY-MM-DD)`)
    }
  }
  const consent = opts.consent?.map((c) => {
    const channel = CONSENT_ALIASES[fold(c)]
    if (!channel) throw new UsageError(`--consent: "${c}" is not a channel (use email, mail, sms or phone)`)
    return channel
  })
  const spec = {
    gender: opts.gender !== undefined ? parseGenderFlag(opts.gender) : undefined,
    ageMin: parseCount('--age-min', opts.ageMin),
    ageMax: parseCount('--age-max', opts.ageMax),
    birthdayWithin: parseCount('--birthday-within', opts.birthdayWithin),
    city: opts.city,
    region: oneOf('--state', opts.state, '--region', opts.region),
    postalCode: oneOf('--zip', opts.zip, '--postal-code', opts.postalCode),
    country,
    territory: opts.territory,
    rep: opts.rep,
    source: opts.source,
    tags: opts.tag,
    consent: consent ? [...new Set(consent)] : undefined,
    search: opts.search,
    days: parseCount('--days', opts.days),
    since: opts.since,
    until: opts.until,
    spentGt: opts.spentGt !== undefined ? parseMoneyFlag('--spent-gt', opts.spentGt, config.currency) : undefined,
    spentLt: opts.spentLt !== undefined ? parseMoneyFlag('--spent-lt', opts.spentLt, config.currency) : undefined,
    ordersGt: parseCount('--orders-gt', opts.ordersGt),
    bought: opts.bought,
    category: opts.category,
    inactiveDays: parseCount('--inactive-days', opts.inactiveDays),
    rfmSegment: opts.rfmSegment !== undefined ? parseRfmSegmentFlag(opts.rfmSegment) : undefined,
    segment: opts.segment,
    where: opts.where?.map(parseWhere),
  }
  const defined = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined))
  const parsed = FilterSpec.safeParse(defined)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path[0]
    const flag = typeof field === 'string' ? ' --' + field.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase()) : ''
    throw new UsageError(`${flag ? flag.trim() + ': ' : ''}${issue.message}`)
  }
  return parsed.data
}

/** A spec written back as the flags that make it, e.g. `--gender f --spent-gt 500.00 --days 30`. */
export function flagsFromSpec(spec: FilterSpec, config: Pick<Config, 'currency'>): string {
  const digits = minorDigits(config.currency)
  const money = (cents: number) => (cents < 0 ? '-' : '') + (Math.abs(cents) / 10 ** digits).toFixed(digits)
  const quote = (v: string) => (/^[\p{L}\p{N}@._:+-]+$/u.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`)
  const out: string[] = []
  const flag = (name: string, value: string | number | undefined) => {
    if (value !== undefined) out.push(`--${name} ${quote(String(value))}`)
  }
  flag('segment', spec.segment)
  flag('gender', spec.gender)
  flag('age-min', spec.ageMin)
  flag('age-max', spec.ageMax)
  flag('birthday-within', spec.birthdayWithin)
  flag('city', spec.city)
  flag('state', spec.region)
  flag('zip', spec.postalCode)
  flag('country', spec.country)
  flag('territory', spec.territory)
  flag('rep', spec.rep)
  flag('source', spec.source)
  for (const t of spec.tags ?? []) flag('tag', t)
  for (const c of spec.consent ?? []) flag('consent', c)
  flag('search', spec.search)
  flag('days', spec.days)
  flag('since', spec.since)
  flag('until', spec.until)
  flag('spent-gt', spec.spentGt === undefined ? undefined : money(spec.spentGt))
  flag('spent-lt', spec.spentLt === undefined ? undefined : money(spec.spentLt))
  flag('orders-gt', spec.ordersGt)
  flag('bought', spec.bought)
  flag('category', spec.category)
  flag('inactive-days', spec.inactiveDays)
  flag('rfm-segment', spec.rfmSegment)
  for (const w of spec.where ?? []) flag('where', whereText(w))
  return out.join(' ')
}
