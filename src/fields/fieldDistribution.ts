import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely'
import { isPostgres } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import { formatMoney, type FieldDefinition } from './fieldValue.js'

/** One line of `crm report fields NAME`: a value (or a range of them) and how many customers have it. */
export interface DistributionRow {
  value: string
  customers: number
  /** Percent of the customers the filter selects, one decimal. */
  share: number
}

export interface DistributionOptions {
  /** The customers to count (a filter's id subquery); undefined means every customer. */
  selected?: Expression<unknown>
  currency: string
  /** Dates: by year (default) or month. */
  by?: 'year' | 'month'
  /** Numbers and money: at most about this many buckets (default 10). */
  buckets?: number
}

const EMPTY = '(empty)'

/**
 * How one field's values spread over the selected customers: every choice (zero counts too),
 * true/false, dates by year or month, numbers and money in equal "nice" buckets
 * (1, 2 or 5 × 10ⁿ wide), the most common texts; always with an (empty) line.
 */
export async function fieldDistribution(db: Kysely<Database>, field: FieldDefinition, o: DistributionOptions): Promise<DistributionRow[]> {
  const scope = sql`from customers left join customer_field_values on customer_field_values.customer_id = customers.id
    and customer_field_values.field_id = ${field.id}
    where customers.forgotten_at is null${o.selected ? sql` and customers.id in (${o.selected})` : sql``}`
  const counted = async (key: RawBuilder<unknown>, extra: RawBuilder<unknown> = sql``) => {
    // Grouped in an outer query: PostgreSQL cannot match a GROUP BY expression whose bound values are new parameters.
    const r = await sql<{ k: string | number | null; n: number }>`select k, count(*) as n from (select ${key} as k ${scope}) as v group by k${extra}`.execute(db)
    return r.rows.map((row) => ({ k: row.k, n: Number(row.n) }))
  }
  let pairs: Array<{ value: string; n: number }>
  let empty = 0
  const takeEmpty = (rows: Array<{ k: string | number | null; n: number }>) => {
    empty = rows.filter((r) => r.k === null).reduce((a, r) => a + r.n, 0)
    return rows.filter((r) => r.k !== null)
  }
  switch (field.type) {
    case 'choice': {
      const found = new Map(takeEmpty(await counted(sql`customer_field_values.value_text`)).map((r) => [String(r.k), r.n]))
      pairs = (field.choices ?? []).map((c) => ({ value: c, n: found.get(c) ?? 0 }))
      // A value no longer among the choices (the list was edited in the database) still counts.
      for (const [k, n] of found) if (!(field.choices ?? []).includes(k)) pairs.push({ value: k, n })
      break
    }
    case 'bool': {
      const found = new Map(takeEmpty(await counted(sql`customer_field_values.value_num`)).map((r) => [Number(r.k), r.n]))
      pairs = [{ value: 'true', n: found.get(1) ?? 0 }, { value: 'false', n: found.get(0) ?? 0 }]
      break
    }
    case 'date': {
      const len = o.by === 'month' ? 7 : 4
      const rows = takeEmpty(await counted(sql`substr(customer_field_values.value_text, 1, ${sql.lit(len)})`))
      pairs = rows.map((r) => ({ value: String(r.k), n: r.n })).sort((a, b) => a.value.localeCompare(b.value))
      break
    }
    case 'text': {
      const rows = takeEmpty(await counted(sql`customer_field_values.value_text`, sql` order by count(*) desc, k limit 50`))
      pairs = rows.map((r) => ({ value: String(r.k), n: r.n }))
      const nonEmpty = await sql<{ n: number }>`select count(customer_field_values.value_text) as n ${scope}`.execute(db)
      const emptyCount = await sql<{ n: number }>`select count(*) - count(customer_field_values.value_text) as n ${scope}`.execute(db)
      empty = Number(emptyCount.rows[0]?.n ?? 0)
      const rest = Number(nonEmpty.rows[0]?.n ?? 0) - pairs.reduce((a, p) => a + p.n, 0)
      if (rest > 0) pairs.push({ value: '(other values)', n: rest })
      break
    }
    case 'number':
    case 'money': {
      const span = await sql<{ lo: number | null; hi: number | null }>`select min(customer_field_values.value_num) as lo,
        max(customer_field_values.value_num) as hi ${scope}`.execute(db)
      const lo = span.rows[0]?.lo
      const hi = span.rows[0]?.hi
      if (lo === null || lo === undefined || hi === null || hi === undefined) {
        pairs = []
        empty = (await counted(sql`customer_field_values.value_num`)).reduce((a, r) => a + r.n, 0)
        break
      }
      const width = bucketWidth(Number(lo), Number(hi), o.buckets ?? 10)
      const start = Math.floor(Number(lo) / width) * width
      const offset = sql`(customer_field_values.value_num - ${start}) / ${width}`
      const bucket = isPostgres(db) ? sql`floor(${offset})::integer` : sql`cast(${offset} as integer)`
      const rows = takeEmpty(await counted(sql`case when customer_field_values.value_num is null then null else ${bucket} end`))
      const show = (v: number) => (field.type === 'money' ? formatMoney(v, o.currency) : String(Number(v.toPrecision(12))))
      // Every bucket from the lowest to the highest, empty ones too: a histogram has no gaps.
      const found = new Map(rows.map((r) => [Number(r.k), r.n]))
      const last = Math.max(0, ...found.keys())
      pairs = Array.from({ length: last + 1 }, (_, b) => ({ b, n: found.get(b) ?? 0 }))
        .map(({ b, n }) => {
          const from = start + b * width
          const label = width === 1 && field.type === 'number' && Number.isInteger(from) ? show(from) : `${show(from)} to <${show(from + width)}`
          return { value: label, n }
        })
      break
    }
  }
  const total = pairs.reduce((a, p) => a + p.n, 0) + empty
  const share = (n: number) => (total === 0 ? 0 : Number(((100 * n) / total).toFixed(1)))
  return [...pairs.map((p) => ({ value: p.value, customers: p.n, share: share(p.n) })), { value: EMPTY, customers: empty, share: share(empty) }]
}

/**
 * A bucket width of 1, 2 or 5 × 10ⁿ giving at most `buckets` buckets over [lo, hi];
 * whole numbers (counts, cents) get whole widths.
 */
export function bucketWidth(lo: number, hi: number, buckets: number): number {
  const range = hi - lo
  if (range <= 0) return 1
  const raw = range / buckets
  let exp = Math.floor(Math.log10(raw))
  if (Number.isInteger(lo) && Number.isInteger(hi)) exp = Math.max(exp, 0)
  for (;;) {
    for (const m of [1, 2, 5]) {
      const w = m * 10 ** exp
      if (Math.floor(hi / w) - Math.floor(lo / w) + 1 <= buckets) return Number(w.toPrecision(12))
    }
    exp++
  }
}
