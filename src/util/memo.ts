/**
 * A pure one-argument function with its answers remembered: for the cells of an import
 * that repeat from row to row (consent words, countries, cities, sales reps), so each
 * distinct text is parsed or folded once, not once a row. Bounded: when the table is
 * full it starts again, so a column of unique values costs a lookup and nothing more.
 */
export function memo<R>(fn: (text: string) => R, max = 5000): (text: string) => R {
  const known = new Map<string, R>()
  return (text: string): R => {
    const hit = known.get(text)
    if (hit !== undefined || known.has(text)) return hit as R
    const value = fn(text)
    if (known.size >= max) known.clear()
    known.set(text, value)
    return value
  }
}
