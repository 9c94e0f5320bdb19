import { sql } from 'kysely'
import type { CrmDb } from '../db/openDb.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { BasketCounter, basketRules, type BasketRow } from './basketRules.js'
import { inPurchaseWindow, purchasesOfSelected, type FilterContext } from './reportScope.js'

export const BASKET_KINDS = ['customer', 'order'] as const
export type BasketKind = (typeof BASKET_KINDS)[number]

export interface BasketOptions {
  /** A basket is everything one customer bought (default) or one order. */
  per: BasketKind
  minSupport: number
  top: number
}

export interface BasketReport {
  baskets: number
  rows: BasketRow[]
}

/**
 * Products bought together by the filter's customers in the purchase window. `--bought X`
 * does not narrow the baskets here (every basket would hold X and every lift would be 1):
 * it picks the pairs with X instead, "customers who bought X also bought".
 */
export async function basketReport(crm: Pick<CrmDb, 'db' | 'sqlite'>, spec: FilterSpec, ctx: FilterContext, options: BasketOptions): Promise<BasketReport> {
  const { db } = crm
  const { bought, ...population } = spec
  const basket = options.per === 'customer' ? sql`purchases.customer_id` : sql`coalesce(purchases.order_id, '#' || purchases.id)`
  const query = sql<{ basket: string | number; product: string }>`
    select ${basket} as basket, purchases.product as product from purchases
    where purchases.amount_cents >= 0 and purchases.product is not null
      and ${inPurchaseWindow(population, ctx)} and ${purchasesOfSelected(db, population, ctx)}
    group by 1, 2`.compile(db)
  // Millions of (basket, product) rows: streamed as arrays straight from better-sqlite3,
  // because Kysely's SQLite driver streams only its own select builders, as objects.
  const counter = new BasketCounter()
  const rows = crm.sqlite.prepare(query.sql).raw().iterate(...query.parameters) as Iterable<[string | number, string]>
  for (const [key, product] of rows) counter.add(key, product)
  const counts = counter.finish()
  return { baskets: counts.baskets, rows: basketRules(counts, { minSupport: options.minSupport, top: options.top, anchor: bought }) }
}
