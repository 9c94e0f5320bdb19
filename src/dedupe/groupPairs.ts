/** A scored link between two records (indexes). */
export interface Link {
  i: number
  j: number
  weight: number
}

export interface GroupingOptions {
  /** Links at or above this weight join groups. */
  minWeight: number
  /** Every pair inside a group must reach this weight (the guard against weak chains). */
  guardWeight: number
  /** Largest group formed; a bigger one is almost surely a chain, not one person. */
  maxSize?: number
}

export interface RecordGroup {
  members: number[]
  /** Every pair inside the group with its weight. */
  pairs: Link[]
}

/**
 * Groups records from links, strongest first. Two groups join only if every pair across
 * them scores at least the guard weight (computed on demand by `weightOf`), so
 * A–B and B–C never make A, B and C one person when A and C look like strangers.
 */
export function groupPairs(links: Link[], weightOf: (i: number, j: number) => number, options: GroupingOptions): RecordGroup[] {
  const maxSize = options.maxSize ?? 25
  const sorted = links.filter((l) => l.weight >= options.minWeight).sort((a, b) => b.weight - a.weight)
  const known = new Map<string, number>()
  const key = (i: number, j: number) => (i < j ? `${i},${j}` : `${j},${i}`)
  for (const l of links) known.set(key(l.i, l.j), l.weight)
  const weight = (i: number, j: number): number => {
    const k = key(i, j)
    let w = known.get(k)
    if (w === undefined) {
      w = weightOf(i, j)
      known.set(k, w)
    }
    return w
  }

  const groupOf = new Map<number, number[]>()
  for (const l of sorted) {
    const a = groupOf.get(l.i) ?? [l.i]
    const b = groupOf.get(l.j) ?? [l.j]
    if (a === b) continue
    if (a.length + b.length > maxSize) continue
    let ok = true
    for (const x of a) {
      for (const y of b) {
        if (weight(x, y) < options.guardWeight) {
          ok = false
          break
        }
      }
      if (!ok) break
    }
    if (!ok) continue
    const joined = [...a, ...b]
    for (const x of joined) groupOf.set(x, joined)
  }

  const seen = new Set<number[]>()
  const groups: RecordGroup[] = []
  for (const members of groupOf.values()) {
    if (seen.has(members)) continue
    seen.add(members)
    members.sort((x, y) => x - y)
    const pairs: Link[] = []
    for (let x = 0; x < members.length; x++)
      for (let y = x + 1; y < members.length; y++) pairs.push({ i: members[x]!, j: members[y]!, weight: weight(members[x]!, members[y]!) })
    groups.push({ members, pairs })
  }
  return groups
}
