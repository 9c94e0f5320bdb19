import { sql, type Expression, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely'
import type { Config } from '../config/config.js'
import { dialectOf, lastChars } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import { CrmError } from '../errors.js'
import { specWhereConditions } from '../fields/whereFilter.js'
import { rfmSegmentCondition } from '../reports/rfmScores.js'
import { fold } from '../text/fold.js'
import { FilterSpec } from './filterSpec.js'
import { searchConditions } from './searchCondition.js'
import { addDays, isLeapYear, localDate, startOfLocalDay, yearsBefore } from './localTime.js'

export { FilterSpec }

/** What a filter needs besides the spec: the clock and the shop's currency and time zone. */
export interface FilterContext {
  now: Date
  config: Pick<Config, 'currency' | 'timezone'>
  /**
   * The ids of the spec's RFM segment, scored beforehand (`withRfmSegment()` in
   * src/reports/rfm.ts: faster than scoring in SQL on SQLite); without it the filter scores in SQL.
   */
  rfmSegmentIds?: Expression<unknown>
}

/** A purchase window as half-open ISO-8601 UTC bounds: from ≤ purchased_at < to. */
export interface PurchaseWindow {
  from: string | null
  to: string | null
}

/**
 * The purchase window a spec asks for. `days: 30` runs from local midnight 30 days
 * before today through now; `since`/`until` are whole local days; none means all time.
 */
export function purchaseWindow(spec: FilterSpec, ctx: FilterContext): PurchaseWindow {
  const tz = ctx.config.timezone
  if (spec.days !== undefined) {
    const today = localDate(ctx.now, tz)
    return {
      from: startOfLocalDay(addDays(today, -spec.days), tz).toISOString(),
      // "Through now" includes a purchase stamped this very millisecond.
      to: new Date(ctx.now.getTime() + 1).toISOString(),
    }
  }
  return {
    from: spec.since ? startOfLocalDay(spec.since, tz).toISOString() : null,
    to: spec.until ? startOfLocalDay(addDays(spec.until, 1), tz).toISOString() : null,
  }
}

/** True when the spec uses a purchase window (so rows carry window totals). */
export function hasWindow(spec: FilterSpec): boolean {
  return spec.days !== undefined || spec.since !== undefined || spec.until !== undefined
}

type CustomerIds = SelectQueryBuilder<Database, 'customers', { id: number }>

/**
 * The ids of the customers a spec selects, as a Kysely subquery:
 * `db.selectFrom('customers').where('customers.id', 'in', customerIdsMatching(db, spec, ctx))`.
 * Erased customers (`forgotten_at` set) are never selected. A spec naming a segment
 * must go through `resolveSegment()` first.
 */
export function customerIdsMatching(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext): CustomerIds {
  if (spec.segment !== undefined) {
    throw new CrmError(`segment "${spec.segment}" was not resolved: call resolveSegment() before customerIdsMatching()`)
  }
  const conditions = customerConditions(spec, ctx, usesSqlite(db))
  let q = db.selectFrom('customers').select('customers.id').where('customers.forgotten_at', 'is', null)
  for (const c of conditions) q = q.where(c)
  return q
}

export function usesSqlite(db: Kysely<Database>): boolean {
  return dialectOf(db) === 'sqlite'
}

type Condition = Expression<SqlBool>

/** Every condition of a spec on the `customers` row, as SQL with bound values. */
export function customerConditions(spec: FilterSpec, ctx: FilterContext, sqlite: boolean): Condition[] {
  const out: RawBuilder<SqlBool>[] = []
  // Today's local date only for the filters that need it: a time zone's formatter costs
  // about 10 ms to make, more than the rest of a small query.
  const today = () => localDate(ctx.now, ctx.config.timezone)

  if (spec.gender) out.push(sql`customers.gender = ${spec.gender}`)
  // A birth date without its year (--MM-DD) says nothing about age: '-' sorts before '0'.
  if (spec.ageMin !== undefined) {
    out.push(sql`customers.birth_date >= '0' and customers.birth_date <= ${yearsBefore(today(), spec.ageMin)}`)
  }
  if (spec.ageMax !== undefined) out.push(sql`customers.birth_date > ${yearsBefore(today(), spec.ageMax + 1)}`)
  if (spec.birthdayWithin !== undefined) out.push(birthdayCondition(today(), spec.birthdayWithin, sqlite))

  const keyed: Array<[string | undefined, string]> = [
    [spec.city, 'city_key'],
    [spec.region, 'region_key'],
    [spec.territory, 'territory_key'],
    [spec.rep, 'sales_rep_key'],
    [spec.source, 'source_key'],
  ]
  for (const [value, column] of keyed) {
    if (value !== undefined) out.push(sql`${sql.ref(`customers.${column}`)} = ${fold(value)}`)
  }
  if (spec.postalCode !== undefined) {
    // A range, not LIKE, so the postal_code index serves the prefix.
    const p = spec.postalCode.toUpperCase().replace(/\s+/g, ' ')
    out.push(sql`customers.postal_code >= ${p} and customers.postal_code < ${p + '\uffff'}`)
  }
  if (spec.country) out.push(sql`customers.country = ${spec.country}`)

  for (const tag of spec.tags ?? []) {
    // `id in (…)` lets SQLite start from the tag's few customers instead of probing every row.
    // The tag ids first (a small table), so customer_tags is searched by tag, not scanned.
    out.push(sql`customers.id in (select customer_tags.customer_id from customer_tags where customer_tags.tag_id in
      (select tags.id from tags where tags.name = ${tag} or lower(tags.name) = ${tag.toLowerCase()}))`)
  }
  for (const channel of spec.consent ?? []) {
    const column = sql.ref(`customers.consent_${channel}`)
    // Post and phone are allowed unless refused; email and sms need a grant.
    out.push(channel === 'email' || channel === 'sms' ? sql`${column} = 'granted'` : sql`${column} <> 'refused'`)
  }
  if (spec.search !== undefined) out.push(...searchConditions(spec.search, sqlite))

  out.push(...specWhereConditions(spec))
  out.push(...purchaseConditions(spec, ctx, sqlite))
  // Scored only when asked for: the other filters never pay for it.
  if (spec.rfmSegment !== undefined && ctx.rfmSegmentIds !== undefined) {
    out.push(sql`customers.id in ${ctx.rfmSegmentIds}`)
  } else if (spec.rfmSegment !== undefined) {
    const input = { window: purchaseWindow(spec, ctx), now: ctx.now, currency: ctx.config.currency, sqlite }
    out.push(rfmSegmentCondition(input, spec.rfmSegment))
  }
  return out
}

/** Birthday today or in the next `days` days, over New Year; 29 February counts on 1 March in common years. */
function birthdayCondition(today: string, days: number, sqlite: boolean): RawBuilder<SqlBool> {
  if (days >= 365) return sql`customers.birth_date is not null`
  const monthDays = new Set<string>()
  for (let i = 0; i <= days; i++) {
    const d = addDays(today, i)
    monthDays.add(d.slice(5))
    if (d.slice(5) === '03-01' && !isLeapYear(Number(d.slice(0, 4)))) monthDays.add('02-29')
  }
  // The last five characters are MM-DD for both YYYY-MM-DD and the year-less --MM-DD.
  return sql`${lastChars(sqlite ? 'sqlite' : 'postgres', sql`customers.birth_date`, 5)} in (${sql.join([...monthDays])})`
}

function lowerAscii(text: string): string {
  // SQLite's lower() folds ASCII only: fold the value the same way so both sides agree.
  return text.replace(/[A-Z]/g, (c) => c.toLowerCase())
}

/**
 * The purchase conditions. Each is `customers.id in (…)` over one pass of purchases,
 * summed per customer first; on SQLite the window pass is pinned to the covering index
 * purchases_window (purchased_at, customer_id, amount_cents, currency), which the planner
 * does not pick on its own (NOTES.md: 0.37 s instead of 1.2 s at 10M purchases).
 */
function purchaseConditions(spec: FilterSpec, ctx: FilterContext, sqlite: boolean): RawBuilder<SqlBool>[] {
  const out: RawBuilder<SqlBool>[] = []
  const w = purchaseWindow(spec, ctx)
  const windowed = w.from !== null || w.to !== null
  // Sums always read the covering index (all time: a full pass over it, still no table
  // lookups); product and category need the table, so the index only narrows a window.
  const sumHint = sqlite ? sql.raw(' indexed by purchases_window') : sql.raw('')
  const hint = sqlite && windowed ? sql.raw(' indexed by purchases_window') : sql.raw('')
  const inWindow = windowCondition(w, 'purchases')

  if (spec.spentGt !== undefined || spec.spentLt !== undefined) {
    const gt = spec.spentGt
    const lt = spec.spentLt
    const parts: RawBuilder<SqlBool>[] = []
    if (gt !== undefined) parts.push(sql`sum(purchases.amount_cents) > ${gt}`)
    if (lt !== undefined) parts.push(sql`sum(purchases.amount_cents) < ${lt}`)
    const cond = sql.join(parts, sql` and `)
    // Customers with nothing in the window have spent 0: when 0 qualifies, select
    // everyone except those whose sum fails, so they are not lost.
    const zeroQualifies = (gt === undefined || gt < 0) && (lt === undefined || lt > 0)
    const sums = (having: RawBuilder<unknown>) =>
      sql`select purchases.customer_id from purchases${sumHint} where ${inWindow} and purchases.currency = ${ctx.config.currency}
        group by purchases.customer_id having ${having}`
    out.push(zeroQualifies ? sql`customers.id not in (${sums(sql`not (${cond})`)})` : sql`customers.id in (${sums(cond)})`)
  }
  if (spec.ordersGt !== undefined) {
    out.push(sql`customers.id in (select purchases.customer_id from purchases${hint} where ${inWindow} and purchases.amount_cents >= 0
      group by purchases.customer_id having count(distinct ${orderKey}) > ${spec.ordersGt})`)
  }
  if (spec.bought !== undefined) {
    out.push(sql`customers.id in (select purchases.customer_id from purchases${hint} where ${inWindow}
      and lower(purchases.product) = ${lowerAscii(spec.bought)} and purchases.amount_cents >= 0)`)
  }
  if (spec.category !== undefined) {
    out.push(sql`customers.id in (select purchases.customer_id from purchases${hint} where ${inWindow}
      and lower(purchases.category) = ${lowerAscii(spec.category)} and purchases.amount_cents >= 0)`)
  }
  if (spec.inactiveDays !== undefined) {
    const cutoff = startOfLocalDay(addDays(localDate(ctx.now, ctx.config.timezone), -spec.inactiveDays), ctx.config.timezone)
    out.push(sql`exists (select 1 from purchases where purchases.customer_id = customers.id and purchases.amount_cents >= 0)
      and not exists (select 1 from purchases where purchases.customer_id = customers.id
        and purchases.purchased_at >= ${cutoff.toISOString()} and purchases.amount_cents >= 0)`)
  }
  return out
}

/** One order per order id; a purchase line without one is an order of its own. */
export const orderKey = sql`coalesce(purchases.order_id, '#' || purchases.id)`

/** `purchased_at` inside the window (true when the window is all time). */
export function windowCondition(w: PurchaseWindow, table: 'purchases'): RawBuilder<SqlBool> {
  const col = sql.ref(`${table}.purchased_at`)
  const parts: RawBuilder<SqlBool>[] = []
  if (w.from !== null) parts.push(sql`${col} >= ${w.from}`)
  if (w.to !== null) parts.push(sql`${col} < ${w.to}`)
  return parts.length ? sql`(${sql.join(parts, sql` and `)})` : sql`1 = 1`
}
