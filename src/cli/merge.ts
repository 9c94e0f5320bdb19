import { Command } from 'commander'
import { UsageError } from '../errors.js'
import { withDb } from './context.js'
import { say, writeOut } from './messages.js'
import { askLine, interactive } from './prompt.js'

function parseIds(values: string[]): number[] {
  return values.map((v) => {
    if (!/^\d+$/.test(v)) throw new UsageError(`"${v}" is not a customer id`)
    return Number(v)
  })
}

export function mergeCommand(): Command {
  return new Command('merge')
    .description('merge customers into the oldest of them, keeping every purchase, contact, NPS answer and tag')
    .argument('<ids...>', 'customer ids (two or more)')
    .option('--yes', 'do not ask (needed when stdin is not a terminal)')
    .addHelpText(
      'after',
      `
The oldest record survives; each field takes the most recently updated non-empty value,
the address moves as a whole, a consent refusal anywhere wins, other emails and phones
are kept as alternates. Prints the merge id: crm unmerge MERGE_ID puts everything back.

Example:
  $ crm merge 12 31 --yes
  $ crm unmerge 1`,
    )
    .action(async (rawIds: string[], flags: { yes?: boolean }, cmd: Command) => {
      const ids = parseIds(rawIds)
      if (new Set(ids).size < 2) throw new UsageError('give at least two different customer ids')
      if (!flags.yes && !interactive()) throw new UsageError('merge changes customers: add --yes to confirm (stdin is not a terminal)')
      await withDb(cmd, async ({ crm }) => {
        if (!flags.yes) {
          const answer = await askLine(`merge customers ${ids.join(', ')} into the oldest? [y/N] `)
          if (!/^y(es)?$/i.test(answer)) {
            say('nothing merged')
            return
          }
        }
        const { mergeCustomers } = await import('../dedupe/mergeCustomers.js')
        const { isoNow } = await import('../clock.js')
        const { safetyBackup } = await import('../backup/index.js')
        await safetyBackup(crm, `before crm merge ${ids.join(' ')}`)
        const r = await mergeCustomers(crm.db, ids, isoNow())
        await writeOut(`${r.mergeId}\n`)
        say(`merged ${r.mergedIds.join(', ')} into ${r.survivorId} (merge ${r.mergeId}; crm unmerge ${r.mergeId} undoes it)`)
      })
    })
}
