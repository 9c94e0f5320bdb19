import { Command } from 'commander'
import { withDb } from './context.js'
import { say } from './messages.js'

export function rmCommand(): Command {
  return new Command('rm')
    .description('delete a customer entered by mistake, with their purchases and contacts')
    .argument('<customer>', 'id, email or external id')
    .option('--yes', 'do not ask (needed when stdin is not a terminal)')
    .addHelpText(
      'after',
      `
rm changes reports (the purchases go too). To honour a person's request to be erased,
use crm forget, which keeps their purchases as anonymous totals.
Without --yes in a script, rm exits 2 and deletes nothing.

Example:
  $ crm rm 42 --yes`,
    )
    .action(async (ref: string, opts: { yes?: boolean }, command: Command) => {
      await withDb(command, async ({ crm }) => {
        const { resolveCustomer, displayName } = await import('../customers/findCustomer.js')
        const { removeCustomer, removalSummary } = await import('../customers/removeCustomer.js')
        const { confirmed } = await import('./confirm.js')
        const { isoNow } = await import('../clock.js')
        const customer = await resolveCustomer(crm.db, ref, { allowForgotten: true })
        const s = await removalSummary(crm.db, customer.id)
        const what = `customer ${customer.id} (${displayName(customer)}) with ${s.purchases} purchases and ${s.interactions} contacts`
        if (!(await confirmed(`Delete ${what}?`, opts.yes, `rm deletes ${what}`))) {
          say('nothing deleted')
          process.exitCode = 1
          return
        }
        await removeCustomer(crm.db, customer, isoNow())
        say(`deleted ${what}`)
      })
    })
}
