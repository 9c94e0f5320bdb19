import { KOREAN_SURNAME_GROUPS } from './koreanNames.js'
import { NICKNAME_GROUPS } from './nicknames.js'
import { PERSIAN_GIVEN_NAME_GROUPS, PERSIAN_SURNAME_GROUPS } from './persianNames.js'

/**
 * A test of whether two names (as nameKey() leaves them) share a group of `groups` (each a
 * line of names separated by spaces). Pairwise only, never chained: a name in two groups
 * does not join them. The index is built on first use.
 */
function groupTest(groups: readonly string[]): (a: string, b: string) => boolean {
  let index: Map<string, number[]> | null = null
  const groupsOf = (name: string): number[] | undefined => {
    if (!index) {
      index = new Map()
      groups.forEach((line, g) => {
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
  return (a, b) => {
    if (a === b) return false
    const ga = groupsOf(a)
    if (!ga) return false
    const gb = groupsOf(b)
    if (!gb) return false
    for (const g of ga) if (gb.includes(g)) return true
    return false
  }
}

/**
 * Whether two given names are nickname-equivalent: some group holds both (see nicknames.ts).
 *
 * @example areNicknames('rob', 'robert') // true; areNicknames('robert', 'william') // false
 */
export const areNicknames = groupTest(NICKNAME_GROUPS)

/**
 * Whether two given names are Latin spellings of one name (Mohammad, Mohammed): two records
 * may spell it either way, and both spellings are common, so they are not two names.
 */
export const areGivenNameSpellings = groupTest(PERSIAN_GIVEN_NAME_GROUPS)

/** Whether two surnames are romanisations of one family name (Lee, Yi, Rhee; Hosseini, Husseini). */
export const areSurnameSpellings = groupTest([...KOREAN_SURNAME_GROUPS, ...PERSIAN_SURNAME_GROUPS])
