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
  let current: unknown = Symbol('none')
  let basket: string[] = []
  for (const [key, product] of rows) {
    if (key !== current) {
      counter.addBasket(basket)
      basket = []
      current = key
    }
    basket.push(product)
  }
  counter.addBasket(basket)
  return counter.finish()
}

/** Pair counts for the first products in a dense matrix, the rest in a Map. */
const DENSE = 2048

/**
 * Counts baskets one at a time, for baskets streamed from the database: a million
 * customers with eight products each make 28 million pair increments, so the pairs of the
 * first 2,048 products seen go to a typed-array matrix, not a Map.
 */
export class BasketCounter {
  private readonly index = new Map<string, number>()
  private readonly products: string[] = []
  private readonly itemCount: number[] = []
  private readonly sparse = new Map<number, number>()
  private dense = new Int32Array(64 * 64)
  private side = 64
  private baskets = 0
  private readonly items: number[] = []

  /** One basket: its products (a repeat counts once). An empty basket is ignored. */
  addBasket(products: readonly string[]): void {
    const items = this.items
    items.length = 0
    for (const product of products) {
      let i = this.index.get(product)
      if (i === undefined) {
        i = this.products.length
        if (i >= PAIR_BASE) throw new Error('too many distinct products for basket analysis')
        this.index.set(product, i)
        this.products.push(product)
        this.itemCount.push(0)
        if (i >= this.side && i < DENSE) this.grow(Math.min(DENSE, this.side * 2))
      }
      if (!items.includes(i)) items.push(i)
    }
    if (items.length === 0) return
    this.baskets++
    for (let a = 0; a < items.length; a++) {
      const x = items[a]!
      this.itemCount[x]!++
      for (let b = a + 1; b < items.length; b++) {
        const y = items[b]!
        const lo = x < y ? x : y
        const hi = x < y ? y : x
        if (hi < DENSE) this.dense[lo * this.side + hi]!++
        else this.sparse.set(lo * PAIR_BASE + hi, (this.sparse.get(lo * PAIR_BASE + hi) ?? 0) + 1)
      }
    }
  }

  finish(): BasketCounts {
    const pairCount = new Map(this.sparse)
    const n = Math.min(this.products.length, this.side)
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const c = this.dense[i * this.side + j]!
        if (c > 0) pairCount.set(pairKey(i, j), c)
      }
    }
    return { baskets: this.baskets, products: this.products, itemCount: this.itemCount, pairCount }
  }

  private grow(side: number): void {
    const next = new Int32Array(side * side)
    for (let i = 0; i < this.side; i++) next.set(this.dense.subarray(i * this.side, (i + 1) * this.side), i * side)
    this.dense = next
    this.side = side
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
