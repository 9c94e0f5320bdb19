import type { MatchModel, ScoredPair } from './fellegiSunter.js'
import type { PreparedRecord } from './prepareRecord.js'

/** What a comparison shows of each side, in the original spelling when known. */
function shown(name: string, r: PreparedRecord, swapped: boolean, isB: boolean): string {
  const s = r.source
  const first = s?.first_name ?? r.first
  const last = s?.last_name ?? r.last
  switch (name) {
    case 'first name':
      return isB && swapped ? last : first
    case 'surname':
      return isB && swapped ? first : last
    case 'birth date':
      return s?.birth_date ?? r.birth ?? ''
    case 'email':
      return s?.email ?? r.email ?? ''
    case 'phone':
      return s?.phone ?? r.phone ?? ''
    case 'street':
      return s?.street ?? [r.house, r.streetName].filter(Boolean).join(' ')
    case 'place':
      return [s?.postal_code ?? r.postal, s?.city ?? r.city].filter(Boolean).join(' ')
    case 'generation suffix':
      return r.suffix ?? ''
    default:
      return ''
  }
}

const NAMES = new Set(['first name', 'surname'])

/**
 * The reasons for a pair's score, strongest evidence first:
 * "same phone", "first name Rob ≈ Robert (nickname)", "surname exact", "postal code differs".
 */
export function explainPair(model: MatchModel, a: PreparedRecord, b: PreparedRecord, scored: ScoredPair): string[] {
  const parts: Array<{ text: string; w: number }> = []
  if (scored.swapped) parts.push({ text: 'first and last name swapped', w: 0 })
  model.comparisons.forEach((c, i) => {
    const level = scored.levels[i]!
    if (level < 0) return
    const label = c.levels[level]!
    const w = scored.contributions[i]!
    let text: string
    if (c.against?.[level] !== undefined) {
      // Evidence against: show both values, so a reader sees why they are two people.
      const detail = label === 'differs' ? '' : ` (${label})`
      text = `${c.name} ${shown(c.name, a, scored.swapped, false)} ≠ ${shown(c.name, b, scored.swapped, true)}${detail}`
    } else if (c.name === 'place' || c.name === 'street') text = level === c.levels.length - 1 ? `${c.name} differs` : label
    else if (level === 0) text = NAMES.has(c.name) ? `${c.name} exact` : `same ${c.name}`
    else if (level === c.levels.length - 1) text = `${c.name} differs`
    else text = `${c.name} ${shown(c.name, a, scored.swapped, false)} ≈ ${shown(c.name, b, scored.swapped, true)} (${label})`
    parts.push({ text, w })
  })
  if (scored.household) parts.push({ text: 'shared address, phone and email counted once (a household shares them)', w: -0.001 })
  // Swaps first, then agreement by strength, then disagreements.
  parts.sort((x, y) => (x.w === 0 && x.text.includes('swapped') ? -1 : y.w === 0 && y.text.includes('swapped') ? 1 : y.w - x.w))
  return parts.map((p) => p.text)
}
