import type { ReviewAnswer, ShownGroup } from '../dedupe/index.js'
import { askLine } from './prompt.js'

/** Shows one group on stderr and asks what to do with it. */
export async function askGroup(group: ShownGroup, index: number, total: number): Promise<ReviewAnswer> {
  const lines = [`\nGroup ${index + 1} of ${total}: probability ${(group.score * 100).toFixed(1)}%`]
  group.ids.forEach((id, i) => lines.push(`  #${id}  ${group.names[i] || '(no name)'}`))
  for (const p of group.pairs) lines.push(`  ${p.a} ~ ${p.b}: ${p.reasons.join('; ')}`)
  process.stderr.write(lines.join('\n') + '\n')
  for (;;) {
    const answer = (await askLine('[m]erge, [s]kip, [n]ot the same person, [q]uit? ')).toLowerCase()
    if (answer === 'm' || answer === 'merge') return 'merge'
    if (answer === 's' || answer === 'skip' || answer === '') return 'skip'
    if (answer === 'n' || answer === 'not') return 'distinct'
    if (answer === 'q' || answer === 'quit') return 'quit'
  }
}
