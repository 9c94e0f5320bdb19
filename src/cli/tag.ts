import { Command } from 'commander'
import { withDb } from './context.js'
import { say } from './messages.js'

function tagAction(kind: 'tag' | 'untag') {
  return async (ref: string, names: string[], _opts: unknown, command: Command) => {
    await withDb(command, async ({ crm }) => {
      const { resolveCustomer } = await import('../customers/findCustomer.js')
      const { tagCustomer, untagCustomer } = await import('../customers/tagCustomer.js')
      const { isoNow } = await import('../clock.js')
      const customer = await resolveCustomer(crm.db, ref)
      const done = await (kind === 'tag' ? tagCustomer : untagCustomer)(crm.db, customer.id, names, isoNow())
      const verb = kind === 'tag' ? 'tagged' : 'untagged'
      say(done.length ? `customer ${customer.id} ${verb}: ${done.join(', ')}` : `customer ${customer.id}: nothing changed`)
    })
  }
}

export function tagCommand(): Command {
  return new Command('tag')
    .description('put tags on a customer')
    .argument('<customer>', 'id, email or external id')
    .argument('<names...>', 'tag names')
    .addHelpText('after', '\nExample:\n  $ crm tag ana@example.com vip newsletter')
    .action(tagAction('tag'))
}

export function untagCommand(): Command {
  return new Command('untag')
    .description('take tags off a customer')
    .argument('<customer>', 'id, email or external id')
    .argument('<names...>', 'tag names')
    .addHelpText('after', '\nExample:\n  $ crm untag ana@example.com newsletter')
    .action(tagAction('untag'))
}
