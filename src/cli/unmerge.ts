import { Command } from 'commander'
import { UsageError } from '../errors.js'
import { withDb } from './context.js'
import { say, writeOut } from './messages.js'

export function unmergeCommand(): Command {
  return new Command('unmerge')
    .description('undo a merge: the customers, their purchases, contacts, NPS answers and tags come back exactly as they were')
    .argument('<merge-id>', 'the id crm merge or crm dedupe --merge printed')
    // Undoing a merge loses nothing, so it never asks; --yes is accepted so a script that
    // confirms every destructive command (merge, rm, restore) can pass it here too.
    .option('--yes', 'accepted and ignored: unmerge asks nothing')
    .addHelpText('after', '\nExample:\n  $ crm unmerge 1\n  $ crm unmerge 1 --yes')
    .action(async (rawId: string, _flags: unknown, cmd: Command) => {
      if (!/^\d+$/.test(rawId)) throw new UsageError(`"${rawId}" is not a merge id`)
      await withDb(cmd, async ({ crm }) => {
        const { unmergeCustomers } = await import('../dedupe/unmergeCustomers.js')
        const { isoNow } = await import('../clock.js')
        const r = await unmergeCustomers(crm.db, Number(rawId), isoNow())
        await writeOut(`${[r.survivorId, ...r.restoredIds].join(' ')}\n`)
        say(
          `undid merge ${r.mergeId}: customers ${r.restoredIds.join(', ')} restored beside ${r.survivorId}` +
            (r.missingRows ? ` (${r.missingRows} moved rows were deleted since and stay deleted)` : ''),
        )
      })
    })
}
