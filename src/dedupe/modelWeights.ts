import type { MatchModel } from './fellegiSunter.js'

/** One comparison level of the learned model, as `crm dedupe --explain` shows it. */
export interface WeightRow {
  comparison: string
  level: string
  /** P(level | same person), learned. */
  m: number
  /** P(level | different people), learned. */
  u: number
  /** What the level adds to a pair's match weight, in bits (log2 odds), after the rules below. */
  weight: number
  /** How the weight was reached: learned, or the set evidence against that it may not exceed. */
  rule: string
}

/** The model's whole table: every level's m, u and weight, and the rules that shape them. */
export interface ModelWeights {
  rows: WeightRow[]
  /** log2 prior odds that two records are one person. */
  prior: number
  /** Share of pairs at one street address that look like a family (one surname, two given names). */
  householdShare: number
  /** Pairs at one street address it was measured on; below 20 households are assumed. */
  addressPairs: number
  /** 0–1: how fully the set evidence against applies (from householdShare). */
  strength: number
}

const round = (x: number, digits: number) => Number(x.toFixed(digits))

/**
 * The weights behind every score: for each comparison and level, m, u and log2(m/u), and,
 * for evidence against a match, the set weight it takes (phased in by the list's share of
 * households). Term-frequency adjustments (a rare surname weighs more) come on top per pair.
 */
export function modelWeights(model: MatchModel): ModelWeights {
  const strength = model.strength
  const rows: WeightRow[] = []
  model.comparisons.forEach((c, i) => {
    c.levels.forEach((level, l) => {
      const learned = model.logRatio[i]![l]!
      const cap = c.against?.[l]
      let weight = learned
      let rule = 'learned'
      if (cap !== undefined) {
        if (cap < learned) weight = learned + strength * (cap - learned)
        rule = `against: at most ${cap} bits (× ${round(strength, 2)})`
      }
      if (c.household && l === 0) rule += '; household: only the strongest counts when a personal detail disagrees'
      rows.push({ comparison: c.name, level, m: round(model.m[i]![l]!, 4), u: round(model.u[i]![l]!, 5), weight: round(weight, 2), rule })
    })
  })
  return { rows, prior: round(model.priorWeight, 2), householdShare: round(model.householdShare, 3), addressPairs: model.addressPairs, strength: round(strength, 2) }
}
