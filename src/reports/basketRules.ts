/**
 * Market-basket pairs: which products are bought together, with support, confidence and
 * lift. Pure: fed (basket, product) rows, no database.
 *
 * For products A and B over N baskets (customers or orders):
 *   support(A,B) = n(A and B) / N, confidence(A→B) = n(A and B) / n(A),
 *   lift(A,B) = support(A,B) / (support(A) × support(B)) = n(A and B) × N / (n(A) × n(B)).
 * Lift above 1: bought together more often than chance would have it.
 */

export interface BasketCounts {
  baskets: number
  products: string[]
  /** Baskets holding each product, by index into `products`. */
  itemCount: number[]
  /** Baskets holding both, keyed pairKey(i, j) with i < j. */
  pairCount: Map<number, number>
}

const PAIR_BASE = 2 ** 21

function pairKey(i: number, j: number): number {
  return i < j ? i * PAIR_BASE + j : j * PAIR_BASE + i
}

/**
 * Counts items and pairs from (basket, product) rows that arrive grouped by basket (rows of
 * one basket adjacent; a repeated product in a basket counts once).
 */
export function countBaskets(rows: Iterable<readonly [unknown, string]>): BasketCounts {
  const counter = new BasketCounter()
  for (const [key, product] of rows) counter.add(key, product)
  return counter.finish()
}

/** countBaskets() one row at a time, for rows streamed from the database. */
export class BasketCounter {
  private readonly index = new Map<string, number>()
  private readonly counts: BasketCounts = { baskets: 0, products: [], itemCount: [], pairCount: new Map() }
  private current: unknown = Symbol('none')
  private basket: number[] = []

  add(key: unknown, product: string): void {
    if (key !== this.current) {
      this.close()
      this.current = key
    }
    let i = this.index.get(product)
    if (i === undefined) {
      i = this.counts.products.length
      if (i >= PAIR_BASE) throw new Error('too many distinct products for basket analysis')
      this.index.set(product, i)
      this.counts.products.push(product)
      this.counts.itemCount.push(0)
    }
    if (!this.basket.includes(i)) this.basket.push(i)
  }

  /** One whole basket at once (its distinct products). */
  addBasket(products: readonly string[]): void {
    this.close()
    this.current = Symbol('basket')
    for (const p of products) this.add(this.current, p)
    this.close()
  }

  finish(): BasketCounts {
    this.close()
    return this.counts
  }

  private close(): void {
    const basket = this.basket
    if (basket.length === 0) return
    const { itemCount, pairCount } = this.counts
    this.counts.baskets++
    for (let a = 0; a < basket.length; a++) {
      itemCount[basket[a]!]!++
      for (let b = a + 1; b < basket.length; b++) {
        const k = pairKey(basket[a]!, basket[b]!)
        pairCount.set(k, (pairCount.get(k) ?? 0) + 1)
      }
    }
    this.basket = []
  }
}

export interface BasketRow {
  product_a: string
  product_b: string
  /** Baskets holding both. */
  together: number
  support: number
  /** Of the baskets holding A, the share also holding B. */
  confidence: number
  /** Of the baskets holding B, the share also holding A. */
  confidence_b_a: number
  lift: number
}

export interface BasketRuleOptions {
  /** Least support(A,B) for a pair to be shown, 0–1. */
  minSupport: number
  top: number
  /** Only pairs with this product, which is then always product_a ("bought A, also bought B"). */
  anchor?: string
}

const round = (x: number, digits: number) => Number(x.toFixed(digits))

/**
 * The pairs, with their measures rounded for reading (support and confidence to 4
 * decimals, lift to 3). Without an anchor, strongest lift first; with one, the products its
 * buyers most often also bought first. Ties by count, then names, so the order is stable.
 */
export function basketRules(counts: BasketCounts, options: BasketRuleOptions): BasketRow[] {
  const { baskets: n, products, itemCount, pairCount } = counts
  const anchorKey = options.anchor?.toLowerCase()
  const rows: Array<BasketRow & { rawLift: number; rawConfidence: number }> = []
  for (const [key, both] of pairCount) {
    let i = Math.floor(key / PAIR_BASE)
    let j = key % PAIR_BASE
    if (both / n < options.minSupport) continue
    if (anchorKey !== undefined) {
      if (products[j]!.toLowerCase() === anchorKey) [i, j] = [j, i]
      else if (products[i]!.toLowerCase() !== anchorKey) continue
    } else if (products[i]! > products[j]!) [i, j] = [j, i]
    const lift = (both * n) / (itemCount[i]! * itemCount[j]!)
    const confidence = both / itemCount[i]!
    rows.push({
      product_a: products[i]!, product_b: products[j]!, together: both, support: round(both / n, 4),
      confidence: round(confidence, 4), confidence_b_a: round(both / itemCount[j]!, 4), lift: round(lift, 3),
      rawLift: lift, rawConfidence: confidence,
    })
  }
  const byName = (a: BasketRow, b: BasketRow) => a.product_a.localeCompare(b.product_a) || a.product_b.localeCompare(b.product_b)
  rows.sort((a, b) =>
    anchorKey !== undefined
      ? b.rawConfidence - a.rawConfidence || b.rawLift - a.rawLift || b.together - a.together || byName(a, b)
      : b.rawLift - a.rawLift || b.together - a.together || byName(a, b),
  )
  return rows.slice(0, options.top).map(({ rawLift: _l, rawConfidence: _c, ...row }) => row)
}
