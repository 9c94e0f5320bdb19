import { NICKNAME_GROUPS } from './nicknames.js'

/** Name → the numbers of the groups it belongs to. Built once, on first use. */
let index: Map<string, number[]> | null = null

function groupsOf(name: string): number[] | undefined {
  if (!index) {
    index = new Map()
    NICKNAME_GROUPS.forEach((line, g) => {
      for (const name of line.split(' ')) {
        const list = index!.get(name)
        if (list) {
          if (!list.includes(g)) list.push(g)
        } else index!.set(name, [g])
      }
    })
  }
  return index.get(name)
}

/**
 * Whether two given names (as nameKey() leaves them) are nickname-equivalent: some
 * group holds both. Pairwise only, never chained (see nicknames.ts).
 *
 * @example areNicknames('rob', 'robert') // true; areNicknames('robert', 'william') // false
 */
export function areNicknames(a: string, b: string): boolean {
  if (a === b) return false
  const ga = groupsOf(a)
  if (!ga) return false
  const gb = groupsOf(b)
  if (!gb) return false
  for (const g of ga) if (gb.includes(g)) return true
  return false
}
