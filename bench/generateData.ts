/**
 * A seeded, deterministic generator of realistic messy CSV for imports and benchmarks:
 *   node dist/bench/generateData.js --customers 1000000 --purchases 10000000 --out bench/data --seed 1
 * writes customers.csv and purchases.csv in crm's own column names. The same seed always
 * gives the same bytes. queryBench.ts uses the generators directly, without CSV.
 */
import { createWriteStream, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { ConsentStatus, Gender } from '../src/db/schema.js'
import {
  chance, COMPANIES, int, JOBS, pick, pickLocale, PRODUCTS, REPS, seededRandom, SOURCES, TAGS, TERRITORIES, type Rng,
} from './fakeData.js'

export const CUSTOMER_COLUMNS = [
  'external_id', 'first_name', 'last_name', 'email', 'phone', 'gender', 'birth_date', 'street', 'city', 'region',
  'postal_code', 'country', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'consent_email',
  'consent_mail', 'consent_sms', 'consent_phone', 'notes', 'tags',
] as const
export const PURCHASE_COLUMNS = [
  'customer_external_id', 'purchased_at', 'amount', 'currency', 'product', 'category', 'quantity', 'order_id', 'line',
] as const

/** One customer: `csv` is the messy text a file would hold; the rest is what it means. */
export interface GeneratedCustomer {
  csv: Record<(typeof CUSTOMER_COLUMNS)[number], string>
  gender: Gender | null
  birthDate: string | null
  consent: Record<'email' | 'mail' | 'sms' | 'phone', ConsentStatus>
  tags: string[]
}

export interface GeneratedPurchase {
  customerIndex: number
  csv: Record<(typeof PURCHASE_COLUMNS)[number], string>
  purchasedAt: string
  amountCents: number
  currency: string
  product: string
  category: string
  quantity: number
  orderId: string
  line: number
}

export const externalId = (i: number): string => `C${String(i + 1).padStart(7, '0')}`

const GENDER_TEXT: Record<Gender, string[]> = {
  f: ['f', 'F', 'female', 'Female', 'w', 'woman', 'F', 'f'],
  m: ['m', 'M', 'male', 'Male', 'man', 'M', 'm'],
  x: ['x', 'diverse', 'other'],
}
const CONSENT_TEXT: Record<ConsentStatus, string[]> = {
  granted: ['yes', 'Yes', 'y', 'granted', 'opt-in', '1'],
  refused: ['no', 'No', 'n', 'refused', 'unsubscribed', '0'],
  unknown: ['', '', '', 'unknown'],
}

function asciiSlug(text: string): string {
  const s = text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z0-9]+/g, '')
  return s
}

function consentStatus(rng: Rng, grantP: number, refuseP: number): ConsentStatus {
  const x = rng()
  return x < grantP ? 'granted' : x < grantP + refuseP ? 'refused' : 'unknown'
}

function messyCase(rng: Rng, text: string): string {
  if (text === '' || !chance(rng, 0.06)) return text
  return pick(rng, [text.toUpperCase(), text.toLowerCase(), ` ${text} `])
}

/** The customers, in external-id order. */
export function* generateCustomers(seed: number, count: number): Generator<GeneratedCustomer> {
  const rng = seededRandom(seed)
  for (let i = 0; i < count; i++) {
    const loc = pickLocale(rng)
    const g = rng()
    const gender: Gender = g < 0.52 ? 'f' : g < 0.97 ? 'm' : 'x'
    const female = gender === 'f' || (gender === 'x' && chance(rng, 0.5))
    const first = pick(rng, female ? loc.female : loc.male)
    let last = pick(rng, loc.last)
    if (female && loc.femaleSurname) last = loc.femaleSurname(last)
    const genderKnown = chance(rng, 0.85)
    const birthKnown = chance(rng, 0.8)
    let birthDate: string | null = null
    let birthText = ''
    if (birthKnown) {
      const d = new Date(Date.UTC(int(rng, 1940, 2008), 0, 1) + int(rng, 0, 365) * 86_400_000)
      birthDate = d.toISOString().slice(0, 10)
      birthText = birthDate
      if (chance(rng, 0.03)) {
        birthText = `--${birthDate.slice(5)}`
        birthDate = birthText
      }
    }
    const [city, region] = pick(rng, loc.cities)
    const slugFirst = asciiSlug(first) || `user${i}`
    const slugLast = asciiSlug(last) || 'x'
    const email = chance(rng, 0.88)
      ? pick(rng, [`${slugFirst}.${slugLast}`, `${slugFirst}${int(rng, 1, 99)}`, `${slugFirst[0]}${slugLast}`, `${slugFirst}.${slugLast}+shop`]) +
        `${i}@${pick(rng, loc.emailDomain)}`
      : ''
    const consent = {
      email: consentStatus(rng, 0.55, 0.15),
      mail: consentStatus(rng, 0.3, 0.08),
      sms: consentStatus(rng, 0.25, 0.2),
      phone: consentStatus(rng, 0.2, 0.1),
    }
    const tags = TAGS.filter(() => chance(rng, 0.08))
    const notes = chance(rng, 0.1)
      ? pick(rng, ['Prefers oat milk, "no sugar"', 'Called twice,\nwants a callback', '=SUM(A1:A9)', 'Nur vormittags erreichbar', 'Không gọi sau 8 giờ tối', 'Аллергия на орехи'])
      : ''
    yield {
      gender: genderKnown ? gender : null,
      birthDate,
      consent,
      tags,
      csv: {
        external_id: externalId(i),
        first_name: chance(rng, 0.03) ? first.toUpperCase() : first,
        last_name: last,
        email: chance(rng, 0.05) ? email.toUpperCase() : email,
        phone: chance(rng, 0.9) ? loc.phone(rng) : '',
        gender: genderKnown ? pick(rng, GENDER_TEXT[gender]) : '',
        birth_date: birthText,
        street: `${pick(rng, loc.streets)} ${int(rng, 1, 220)}`,
        city: messyCase(rng, city),
        region,
        postal_code: loc.postal(rng),
        country: loc.country,
        company: chance(rng, 0.2) ? pick(rng, COMPANIES) : '',
        job_title: pick(rng, JOBS),
        source: pick(rng, SOURCES),
        territory: pick(rng, TERRITORIES),
        sales_rep: pick(rng, REPS),
        consent_email: pick(rng, CONSENT_TEXT[consent.email]),
        consent_mail: pick(rng, CONSENT_TEXT[consent.mail]),
        consent_sms: pick(rng, CONSENT_TEXT[consent.sms]),
        consent_phone: pick(rng, CONSENT_TEXT[consent.phone]),
        notes,
        tags: tags.join(pick(rng, [', ', ';', '|'])),
      },
    }
  }
}

// Two-decimal currencies only, so every amount text is valid for its currency.
const OTHER_CURRENCIES = ['EUR', 'GBP', 'RUB', 'PLN']

function formatAmount(rng: Rng, cents: number): string {
  const neg = cents < 0
  const abs = Math.abs(cents)
  let whole = String(Math.floor(abs / 100))
  const frac = String(abs % 100).padStart(2, '0')
  if (whole.length > 3 && chance(rng, 0.3)) whole = whole.replace(/\B(?=(\d{3})+$)/g, ',')
  return `${neg ? '-' : ''}${whole}.${frac}`
}

/**
 * About `count` purchase lines over the two years before `end`, in time order. Orders have
 * 1–4 lines; a few lines are refunded later (a negative line on the same order); spending is
 * skewed (a few customers buy a lot, some never); about 10% is in other currencies.
 */
export function* generatePurchases(
  seed: number,
  customers: number,
  count: number,
  options: { end?: string; currency?: string } = {},
): Generator<GeneratedPurchase> {
  const rng = seededRandom(seed ^ 0x5eed)
  const end = Date.parse(options.end ?? '2026-11-20T00:00:00Z')
  const span = 730 * 86_400_000
  const base = options.currency ?? 'USD'
  const step = span / count
  let written = 0
  let order = 0
  const refunds: GeneratedPurchase[] = []
  while (written < count) {
    order++
    const customerIndex = Math.min(customers - 1, Math.floor(customers * rng() ** 1.6))
    const lines = pick(rng, [1, 1, 1, 2, 2, 3, 4])
    // Time follows progress, so the last line lands just before `end` whatever the mix.
    const at = new Date(Math.min(end - span + written * step + rng() * step, end - 1000))
    const purchasedAt = at.toISOString()
    const currency = chance(rng, 0.9) ? base : pick(rng, OTHER_CURRENCIES)
    const orderId = `O${String(order).padStart(8, '0')}`
    while (refunds.length && refunds[0]!.purchasedAt <= purchasedAt && written < count) {
      yield refunds.shift()!
      written++
    }
    for (let line = 1; line <= lines && written < count; line++) {
      const p = pick(rng, PRODUCTS)
      const quantity = p.price < 1000 && chance(rng, 0.3) ? int(rng, 2, 6) : 1
      const amountCents = Math.round(p.price * quantity * (0.9 + rng() * 0.2))
      const timeText = chance(rng, 0.8) ? purchasedAt : purchasedAt.slice(0, 19).replace('T', ' ')
      const purchase: GeneratedPurchase = {
        customerIndex, purchasedAt, amountCents, currency, product: p.name, category: p.category, quantity, orderId, line,
        csv: {
          customer_external_id: externalId(customerIndex), purchased_at: timeText, amount: formatAmount(rng, amountCents),
          currency, product: p.name, category: p.category, quantity: String(quantity), order_id: orderId, line: String(line),
        },
      }
      yield purchase
      written++
      if (chance(rng, 0.02)) {
        const refundAt = new Date(Math.min(at.getTime() + int(rng, 1, 20) * 86_400_000, end - 1000)).toISOString()
        refunds.push({
          ...purchase, purchasedAt: refundAt, amountCents: -amountCents, line: lines + line,
          csv: { ...purchase.csv, purchased_at: refundAt, amount: formatAmount(rng, -amountCents), line: String(lines + line) },
        })
      }
    }
  }
}

function csvCell(value: string): string {
  return /[",\n\r]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value
}

async function writeCsv<T>(path: string, columns: readonly string[], rows: Iterable<T>, cells: (r: T) => Record<string, string>): Promise<number> {
  const out = createWriteStream(path)
  let buffer = columns.join(',') + '\n'
  let n = 0
  for (const r of rows) {
    const c = cells(r)
    buffer += columns.map((k) => csvCell(c[k]!)).join(',') + '\n'
    n++
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await new Promise<void>((res) => out.once('drain', () => res()))
      buffer = ''
    }
  }
  out.end(buffer)
  await new Promise<void>((res, rej) => out.on('finish', () => res()).on('error', rej))
  return n
}

function parseArgs(argv: string[]): { customers: number; purchases: number; out: string; seed: number; end: string; currency: string } {
  const args = { customers: 1000, purchases: 10000, out: 'bench/data', seed: 1, end: '2026-11-20T00:00:00Z', currency: 'USD' }
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '')
    const value = argv[i + 1]
    if (!key || value === undefined || !(key in args)) {
      throw new Error(`usage: generateData.js --customers N --purchases M --out DIR --seed S [--end ISO] [--currency USD] (bad: ${argv[i]})`)
    }
    ;(args as Record<string, string | number>)[key] = typeof (args as Record<string, unknown>)[key] === 'number' ? Number(value) : value
  }
  return args
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2))
  mkdirSync(a.out, { recursive: true })
  const started = Date.now()
  const nc = await writeCsv(join(a.out, 'customers.csv'), CUSTOMER_COLUMNS, generateCustomers(a.seed, a.customers), (c) => c.csv)
  const np = await writeCsv(join(a.out, 'purchases.csv'), PURCHASE_COLUMNS, generatePurchases(a.seed, a.customers, a.purchases, { end: a.end, currency: a.currency }), (p) => p.csv)
  process.stderr.write(`wrote ${nc} customers and ${np} purchases to ${a.out} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((err: Error) => {
    process.stderr.write(`generateData: ${err.message}\n`)
    process.exitCode = 1
  })
}
