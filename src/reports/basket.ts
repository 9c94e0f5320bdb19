import { sql } from 'kysely'
import type { SqliteCrmDb } from '../db/openDb.js'
import { usesSqlite } from '../query/customerFilter.js'
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
export async function basketReport(crm: Pick<SqliteCrmDb, 'db' | 'sqlite'>, spec: FilterSpec, ctx: FilterContext, options: BasketOptions): Promise<BasketReport> {
  const { db } = crm
  const { bought, ...population } = spec
  // One row per basket with its distinct products, streamed from an index in basket order
  // without a sort: purchases_customer holds the product; orders go through
  // purchases_order_line. A line without an order id is a basket of its own.
  // Products are joined with U+001E (no name holds it) and deduplicated here: cheaper
  // than a DISTINCT aggregate, which also could not take a separator.
  const sqlite = usesSqlite(db)
  const perCustomer = options.per === 'customer'
  const hint = !sqlite ? sql`` : perCustomer ? sql` indexed by purchases_customer` : sql` indexed by purchases_order_line`
  const where = sql`purchases.amount_cents >= 0 and purchases.product is not null
      and ${inPurchaseWindow(population, ctx)} and ${purchasesOfSelected(db, population, ctx)}`
  const queries = [
    sql`select group_concat(purchases.product, char(30)) as products from purchases${hint}
      where ${where} ${perCustomer ? sql`` : sql`and purchases.order_id is not null`}
      group by ${perCustomer ? sql`purchases.customer_id` : sql`purchases.order_id`}`,
    ...(perCustomer ? [] : [sql`select purchases.product as products from purchases${hint} where ${where} and purchases.order_id is null`]),
  ]
  const counter = new BasketCounter()
  for (const q of queries) {
    // Up to millions of baskets: streamed as arrays straight from better-sqlite3, because
    // Kysely's SQLite driver streams only its own select builders, and as objects.
    const compiled = q.compile(db)
    for (const [products] of crm.sqlite.prepare(compiled.sql).raw().iterate(...compiled.parameters) as Iterable<[string]>) {
      counter.addBasket(products.split('\u001e'))
    }
  }
  const counts = counter.finish()
  return { baskets: counts.baskets, rows: basketRules(counts, { minSupport: options.minSupport, top: options.top, anchor: bought }) }
}
