import { sql } from 'kysely'
import { indexHint } from '../db/dialect.js'
import { forEachRow, type ReportDb } from '../db/reportRows.js'
import { CrmError } from '../errors.js'
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
 *
 * One pass over the lines in customer order, read from purchases_customer (which holds the
 * order id and the product) and fed to a BasketCounter without a GROUP BY: per customer,
 * everything they bought is one basket; per order, each order id of the customer is one
 * (an order belongs to its customer), and a line without an order id is a basket of its own.
 */
export async function basketReport(crm: ReportDb, spec: FilterSpec, ctx: FilterContext, options: BasketOptions): Promise<BasketReport> {
  const { db } = crm
  const { bought, ...population } = spec
  const counter = new BasketCounter()
  const feed = {
    from: sql`purchases${indexHint(db, 'purchases_customer')}`,
    where: sql`purchases.amount_cents >= 0 and purchases.product is not null
      and ${inPurchaseWindow(population, ctx)} and ${purchasesOfSelected(db, population, ctx)}`,
    orderBy: sql`purchases.customer_id`,
  }
  let customer = -1
  const outOfOrder = (id: number) => {
    if (id < customer) throw new CrmError('basket report: purchase lines arrived out of customer order (please report this)')
  }
  if (options.per === 'customer') {
    let basket: string[] = []
    await forEachRow(crm, { ...feed, columns: [sql`purchases.customer_id`, sql`purchases.product`] }, (id: number, product: string) => {
      if (id !== customer) {
        outOfOrder(id)
        counter.addBasket(basket)
        basket = []
        customer = id
      }
      basket.push(product)
    })
    counter.addBasket(basket)
  } else {
    // The customer's orders so far: lines of one order are usually adjacent, not always.
    let orders = new Map<string, string[]>()
    let lastOrder: string | null = null
    let lastBasket: string[] = []
    const flush = () => {
      for (const products of orders.values()) counter.addBasket(products)
      orders = new Map()
      lastOrder = null
    }
    await forEachRow(crm, { ...feed, columns: [sql`purchases.customer_id`, sql`purchases.order_id`, sql`purchases.product`] }, (id: number, order: string | null, product: string) => {
      if (id !== customer) {
        outOfOrder(id)
        flush()
        customer = id
      }
      if (order === null) {
        counter.addBasket([product])
      } else if (order === lastOrder) {
        lastBasket.push(product)
      } else {
        lastOrder = order
        const known = orders.get(order)
        if (known) {
          known.push(product)
          lastBasket = known
        } else {
          lastBasket = [product]
          orders.set(order, lastBasket)
        }
      }
    })
    flush()
  }
  const counts = counter.finish()
  return { baskets: counts.baskets, rows: basketRules(counts, { minSupport: options.minSupport, top: options.top, anchor: bought }) }
}
