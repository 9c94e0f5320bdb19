import type { ReviewAnswer, ShownGroup } from '../dedupe/index.js'
import type { Prompter } from './prompt.js'

/** Shows one group on stderr and asks what to do with it. */
export async function askGroup(prompter: Prompter, group: ShownGroup, index: number, total: number): Promise<ReviewAnswer> {
  const lines = [`\nGroup ${index + 1} of ${total}: probability ${(Math.floor(group.score * 10000) / 100).toFixed(2)}%`]
  group.ids.forEach((id, i) => lines.push(`  #${id}  ${group.names[i] || '(no name)'}`))
  for (const p of group.pairs) lines.push(`  ${p.a} ~ ${p.b}: ${p.reasons.join('; ')}`)
  process.stderr.write(lines.join('\n') + '\n')
  for (;;) {
    const answer = (await prompter.ask('[m]erge, [s]kip, [n]ot the same person, [q]uit? ')).toLowerCase()
    if (answer === 'm' || answer === 'merge') return 'merge'
    if (answer === 's' || answer === 'skip' || answer === '') return 'skip'
    if (answer === 'n' || answer === 'not') return 'distinct'
    if (answer === 'q' || answer === 'quit') return 'quit'
  }
}
