import { expect, test } from 'vitest'
import { basketRules, countBaskets } from '../../src/reports/basketRules.js'

// Five baskets, worked by hand:
//   b1 {bread, butter, milk}  b2 {bread, butter}  b3 {bread, jam}  b4 {milk, jam}  b5 {butter, milk}
// n(bread)=3 n(butter)=3 n(milk)=3 n(jam)=2; n(bread,butter)=2, n(butter,milk)=2, n(bread,milk)=1,
// n(bread,jam)=1, n(milk,jam)=1, n(butter,jam)=0.
// bread→butter: support 2/5 = 0.4, confidence 2/3, lift 0.4 / (0.6 × 0.6) = 1.1111
// bread→jam: support 0.2, confidence 1/3, jam→bread 1/2, lift 0.2 / (0.6 × 0.4) = 0.8333
const rows: Array<[string, string]> = [
  ['b1', 'bread'], ['b1', 'butter'], ['b1', 'milk'], ['b1', 'bread'],
  ['b2', 'bread'], ['b2', 'butter'],
  ['b3', 'bread'], ['b3', 'jam'],
  ['b4', 'milk'], ['b4', 'jam'],
  ['b5', 'butter'], ['b5', 'milk'],
]

test('counts each product once per basket', () => {
  const c = countBaskets(rows)
  expect(c.baskets).toBe(5)
  expect(Object.fromEntries(c.products.map((p, i) => [p, c.itemCount[i]]))).toEqual({ bread: 3, butter: 3, milk: 3, jam: 2 })
})

test('support, confidence and lift as computed by hand; strongest lift first', () => {
  const out = basketRules(countBaskets(rows), { minSupport: 0, top: 10 })
  expect(out[0]).toEqual({ product_a: 'bread', product_b: 'butter', together: 2, support: 0.4, confidence: 0.6667, confidence_b_a: 0.6667, lift: 1.111 })
  expect(out[1]).toMatchObject({ product_a: 'butter', product_b: 'milk', together: 2, lift: 1.111 })
  expect(out.find((r) => r.product_a === 'bread' && r.product_b === 'jam')).toEqual({
    product_a: 'bread', product_b: 'jam', together: 1, support: 0.2, confidence: 0.3333, confidence_b_a: 0.5, lift: 0.833,
  })
  expect(out.some((r) => r.product_a === 'butter' && r.product_b === 'jam')).toBe(false)
  expect(out).toHaveLength(5)
})

test('--min-support drops rare pairs; --top keeps the first N', () => {
  expect(basketRules(countBaskets(rows), { minSupport: 0.3, top: 10 }).map((r) => `${r.product_a}+${r.product_b}`)).toEqual(['bread+butter', 'butter+milk'])
  expect(basketRules(countBaskets(rows), { minSupport: 0, top: 1 })).toHaveLength(1)
})

test('an anchor product: "bought jam, also bought", highest confidence first', () => {
  const out = basketRules(countBaskets(rows), { minSupport: 0, top: 10, anchor: 'Jam' })
  // jam→bread: 1/2, lift 0.833; jam→milk: 1/2, lift 0.2 / (0.4 × 0.6) = 0.833; names break the tie
  expect(out).toEqual([
    { product_a: 'jam', product_b: 'bread', together: 1, support: 0.2, confidence: 0.5, confidence_b_a: 0.3333, lift: 0.833 },
    { product_a: 'jam', product_b: 'milk', together: 1, support: 0.2, confidence: 0.5, confidence_b_a: 0.3333, lift: 0.833 },
  ])
})

test('many products: the pair matrix grows and keeps every count', () => {
  // Basket k holds products k and k+1 (of 150), and "Salt, coarse" with a comma in its name.
  const baskets: Array<[number, string]> = []
  for (let k = 0; k < 149; k++) baskets.push([k, `p${k}`], [k, `p${k + 1}`], [k, 'Salt, coarse'])
  const c = countBaskets(baskets)
  expect(c.baskets).toBe(149)
  const out = basketRules(c, { minSupport: 0, top: 1000 })
  expect(out).toHaveLength(149 + 150)
  expect(out.find((r) => r.product_a === 'p120' && r.product_b === 'p121')).toMatchObject({ together: 1 })
  expect(out.find((r) => r.product_a === 'Salt, coarse' && r.product_b === 'p140')).toMatchObject({ together: 2 })
})
