import { NICKNAME_GROUPS } from './nicknames.js'
import type { PreparedRecord } from './prepareRecord.js'

/**
 * A blocking rule: records that share a key become candidate pairs. Several rules
 * together find a duplicate whatever single field was mistyped, while the work grows
 * with the size of the blocks, not with the square of the number of customers.
 */
export interface BlockingRule {
  name: string
  keys(r: PreparedRecord): string[]
  /** Comparisons this rule forces to agree: EM learns nothing about them from its pairs. */
  fixes: readonly string[]
  /**
   * False for the name rules: their blocks are full of different people who share a name
   * and a town, and EM would take those for duplicates whose birth date, email and phone
   * "changed", teaching the model that such differences are normal. The m weights are
   * learned from the other rules' pairs.
   */
  train?: boolean
}

/** The formal names of the nickname groups a given name is in ("bob" → ["robert"]). */
let formalOf: Map<string, string[]> | null = null
function formalNames(first: string): string[] {
  if (!formalOf) {
    formalOf = new Map()
    for (const line of NICKNAME_GROUPS) {
      const names = line.split(' ')
      for (const n of names) formalOf.set(n, [...(formalOf.get(n) ?? []), names[0]!])
    }
  }
  return formalOf.get(first) ?? []
}

const one = (k: string | null | false): string[] => (k ? [k] : [])

export function defaultBlockingRules(extraIdNames: readonly string[] = []): BlockingRule[] {
  const rules: BlockingRule[] = [
    {
      // Both name sounds in either order: typos that keep the sound, swapped names.
      name: 'both name sounds',
      keys: (r) => one(r.firstMeta !== '' && r.lastMeta !== '' && [r.firstMeta, r.lastMeta].sort().join('|')),
      fixes: ['first name', 'surname'],
      train: false,
    },
    {
      // Nicknames with another initial: Bob and Robert, Peggy and Margaret, Sasha and Aleksandr.
      name: 'surname sound + formal given name',
      keys: (r) => (r.lastMeta === '' ? [] : formalNames(r.first).map((f) => `${r.lastMeta}|${f}`)),
      fixes: ['first name', 'surname'],
      train: false,
    },
    { name: 'email', keys: (r) => one(r.email), fixes: ['email'] },
    { name: 'phone', keys: (r) => one(r.phone), fixes: ['phone'] },
    {
      name: 'postal code + house number',
      keys: (r) => one(r.postal !== null && r.house !== null && `${r.postal}|${r.house}`),
      fixes: ['place', 'street'],
    },
    {
      name: 'street + house number',
      keys: (r) => one(r.streetName !== null && r.house !== null && `${r.streetName}|${r.house}`),
      fixes: ['place', 'street'],
    },
    {
      // Missing or mistyped house numbers.
      name: 'postal code + street',
      keys: (r) => one(r.postal !== null && r.streetName !== null && `${r.postal}|${r.streetName}`),
      fixes: ['place', 'street'],
    },
    {
      // A missing or unrecognisable given name.
      name: 'surname + postal code',
      keys: (r) => one(r.last !== '' && r.postal !== null && `${r.last}|${r.postal}`),
      fixes: ['surname', 'place'],
    },
    {
      // A mistyped postal code and a missing given name.
      name: 'surname + house number',
      keys: (r) => one(r.last !== '' && r.house !== null && `${r.last}|${r.house}`),
      fixes: ['surname'],
    },
    {
      // Swapped names with a typo that changes a name's sound.
      name: 'birth date + both initials',
      keys: (r) => one(r.birth !== null && r.first !== '' && r.last !== '' && `${r.birth}|${[r.first[0], r.last[0]].sort().join('')}`),
      fixes: ['birth date'],
    },
    {
      name: 'birth date + surname initial',
      keys: (r) => one(r.birth !== null && r.last !== '' && `${r.birth}|${r.last[0]}`),
      fixes: ['birth date'],
    },
    {
      name: 'birth date + given initial',
      keys: (r) => one(r.birth !== null && r.first !== '' && `${r.birth}|${r.first[0]}`),
      fixes: ['birth date'],
    },
  ]
  extraIdNames.forEach((name, i) => rules.push({ name, keys: (r) => one(r.extraIds[i] ?? null), fixes: [name] }))
  return rules
}

export interface BlockingStats {
  rule: string
  blocks: number
  pairs: number
  /** Blocks larger than the cap, left out: a key shared by that many is no evidence. */
  skippedBlocks: number
}

/** Up to two block numbers per record and rule (-1: none), to tell cheaply whether an earlier rule paired two records. */
interface RuleBlocks {
  first: Int32Array
  /** Only for rules where a record can have two keys (nicknames of two formal names). */
  second: Int32Array | null
}

/**
 * Calls `onPair(i, j, rule, again)` for every pair of records (indexes into `records`)
 * that share a key of a rule. `again` is true when an earlier rule already paired them:
 * the candidate pairs are those with `again` false, each once (a record with more than
 * two keys under one rule may rarely repeat a pair); training looks at all of a rule's pairs.
 * Blocks bigger than `maxBlock` are left out.
 */
export function forEachCandidatePair(
  records: readonly PreparedRecord[],
  rules: readonly BlockingRule[],
  onPair: (i: number, j: number, rule: number, again: boolean) => void,
  maxBlock = 50,
): BlockingStats[] {
  const n = records.length
  const stats: BlockingStats[] = []
  const earlier: RuleBlocks[] = []
  rules.forEach((rule, ruleIndex) => {
    const numbers = new Map<string, number>()
    const members: number[][] = []
    const mine: RuleBlocks = { first: new Int32Array(n).fill(-1), second: null }
    for (let i = 0; i < n; i++) {
      for (const k of rule.keys(records[i]!)) {
        let b = numbers.get(k)
        if (b === undefined) {
          b = members.length
          numbers.set(k, b)
          members.push([i])
        } else if (members[b]![members[b]!.length - 1] !== i) members[b]!.push(i)
        else continue
        if (mine.first[i] === -1) mine.first[i] = b
        else {
          mine.second ??= new Int32Array(n).fill(-1)
          if (mine.second[i] === -1) mine.second[i] = b
        }
      }
    }
    numbers.clear()
    const s: BlockingStats = { rule: rule.name, blocks: 0, pairs: 0, skippedBlocks: 0 }
    // A key shared by too many (a common name) is split by place: same name and same
    // postal code (or city) is still a block worth comparing; the rest is left out.
    const original = members.length
    let extra = 0
    for (let b = 0; b < original; b++) {
      if (members[b]!.length <= maxBlock) continue
      const parts = new Map<string, number>()
      const lists: number[][] = []
      for (const i of members[b]!) {
        const place = records[i]!.postal ?? records[i]!.city
        let nb = -1
        if (place !== null) {
          let k = parts.get(place)
          if (k === undefined) {
            k = lists.length
            parts.set(place, k)
            lists.push([])
          }
          lists[k]!.push(i)
          nb = original + extra + k
        }
        if (mine.first[i] === b) mine.first[i] = nb
        else if (mine.second && mine.second[i] === b) mine.second[i] = nb
      }
      extra += lists.length
      for (const list of lists) members.push(list)
      members[b] = []
      s.skippedBlocks++
    }
    const tooBig = new Uint8Array(members.length)
    for (let b = 0; b < members.length; b++) {
      const list = members[b]!
      if (list.length < 2) continue
      if (list.length > maxBlock) {
        s.skippedBlocks++
        tooBig[b] = 1
        continue
      }
      s.blocks++
      for (let x = 0; x < list.length; x++) {
        const i = list[x]!
        for (let y = x + 1; y < list.length; y++) {
          const j = list[y]!
          const again = pairedEarlier(i, j, earlier)
          if (!again) s.pairs++
          onPair(i, j, ruleIndex, again)
        }
      }
    }
    // Keep only usable block numbers for the next rules' "paired earlier" test.
    for (let i = 0; i < n; i++) {
      if (mine.first[i]! >= 0 && tooBig[mine.first[i]!]) mine.first[i] = -1
      if (mine.second && mine.second[i]! >= 0 && tooBig[mine.second[i]!]) mine.second[i] = -1
    }
    members.length = 0
    earlier.push(mine)
    stats.push(s)
  })
  return stats
}

function pairedEarlier(i: number, j: number, earlier: readonly RuleBlocks[]): boolean {
  for (const r of earlier) {
    const a1 = r.first[i]!
    const a2 = r.second ? r.second[i]! : -1
    if (a1 < 0 && a2 < 0) continue
    const b1 = r.first[j]!
    const b2 = r.second ? r.second[j]! : -1
    if ((a1 >= 0 && (a1 === b1 || a1 === b2)) || (a2 >= 0 && (a2 === b1 || a2 === b2))) return true
  }
  return false
}
