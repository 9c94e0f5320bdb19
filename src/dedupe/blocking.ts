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
      // Phonetic surname and first initial: typos in either name that keep the sound.
      name: 'surname sound + initial',
      keys: (r) => one(r.lastMeta !== '' && r.first !== '' && `${r.lastMeta}|${r.first[0]}`),
      fixes: ['surname'],
    },
    {
      // Both name sounds in either order: swapped first and last names meet.
      name: 'both name sounds',
      keys: (r) => one(r.firstMeta !== '' && r.lastMeta !== '' && [r.firstMeta, r.lastMeta].sort().join('|')),
      fixes: ['first name', 'surname'],
    },
    {
      // Nicknames with another initial: Bob and Robert, Peggy and Margaret, Sasha and Aleksandr.
      name: 'surname sound + formal given name',
      keys: (r) => (r.lastMeta === '' ? [] : formalNames(r.first).map((f) => `${r.lastMeta}|${f}`)),
      fixes: ['first name', 'surname'],
    },
    { name: 'email', keys: (r) => one(r.email), fixes: ['email'] },
    { name: 'phone', keys: (r) => one(r.phone), fixes: ['phone'] },
    {
      name: 'postal code + house number',
      keys: (r) => one(r.postal !== null && r.house !== null && `${r.postal}|${r.house}`),
      fixes: ['postal code', 'house number', 'city', 'region', 'street'],
    },
    {
      name: 'street + house number',
      keys: (r) => one(r.streetName !== null && r.house !== null && `${r.streetName}|${r.house}`),
      fixes: ['postal code', 'house number', 'city', 'region', 'street'],
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

/**
 * Calls `onPair(i, j, rule, again)` for every pair of records (indexes into `records`)
 * that share a key of a rule. `again` is true when an earlier rule already paired them:
 * the candidate pairs are those with `again` false, each exactly once; training looks
 * at all of a rule's pairs.
 */
export function forEachCandidatePair(
  records: readonly PreparedRecord[],
  rules: readonly BlockingRule[],
  onPair: (i: number, j: number, rule: number, again: boolean) => void,
  maxBlock = 300,
): BlockingStats[] {
  const stats: BlockingStats[] = []
  const skipped: Array<Set<string>> = []
  rules.forEach((rule, ruleIndex) => {
    const blocks = new Map<string, number[]>()
    for (let i = 0; i < records.length; i++) {
      for (const k of rule.keys(records[i]!)) {
        const list = blocks.get(k)
        if (list) {
          if (list[list.length - 1] !== i) list.push(i)
        } else blocks.set(k, [i])
      }
    }
    const s: BlockingStats = { rule: rule.name, blocks: 0, pairs: 0, skippedBlocks: 0 }
    const tooBig = new Set<string>()
    skipped.push(tooBig)
    for (const [key, members] of blocks) {
      if (members.length < 2) continue
      if (members.length > maxBlock) {
        s.skippedBlocks++
        tooBig.add(key)
        continue
      }
      s.blocks++
      for (let x = 0; x < members.length; x++) {
        const a = records[members[x]!]!
        for (let y = x + 1; y < members.length; y++) {
          const b = records[members[y]!]!
          const again = pairedEarlier(a, b, rules, ruleIndex, skipped)
          if (!again) s.pairs++
          onPair(members[x]!, members[y]!, ruleIndex, again)
        }
      }
    }
    stats.push(s)
  })
  return stats
}

function pairedEarlier(
  a: PreparedRecord,
  b: PreparedRecord,
  rules: readonly BlockingRule[],
  before: number,
  skipped: ReadonlyArray<Set<string>>,
): boolean {
  for (let r = 0; r < before; r++) {
    const ka = rules[r]!.keys(a)
    if (ka.length === 0) continue
    const kb = rules[r]!.keys(b)
    for (const k of ka) if (kb.includes(k) && !skipped[r]!.has(k)) return true
  }
  return false
}
