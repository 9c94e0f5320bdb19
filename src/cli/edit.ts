import { Command } from 'commander'
import { UsageError } from '../errors.js'
import { addCustomerFieldOptions, addSetOption, fieldFlags } from './customerFlags.js'
import { withDb } from './context.js'
import { say } from './messages.js'

export function editCommand(): Command {
  const cmd = new Command('edit').description("change a customer's fields").argument('<customer>', 'id, email or external id')
  addCustomerFieldOptions(cmd)
  addSetOption(cmd)
  return cmd
    .option('--allow-duplicate', "set the email even when another customer has it")
    .addHelpText(
      'after',
      `
An empty value clears a field. Every change is kept in the audit table.

Example:
  $ crm edit ana@example.com --city Oakland --phone "+1 510 555 0199"
  $ crm edit 42 --notes ""
  $ crm edit 42 --set children=3 --set loyalty_no=`,
    )
    .action(async (ref: string, opts: Record<string, unknown>, command: Command) => {
      const { checkFieldValues } = await import('../customers/customerFields.js')
      const values = checkFieldValues(fieldFlags(opts))
      const sets = (opts.set as string[] | undefined) ?? []
      if (Object.keys(values).length === 0 && sets.length === 0) throw new UsageError('nothing to change: give at least one field flag (crm edit --help lists them)')
      await withDb(command, async ({ crm, config }) => {
        const { resolveCustomer } = await import('../customers/findCustomer.js')
        const { editCustomer } = await import('../customers/editCustomer.js')
        const { isoNow } = await import('../clock.js')
        const customer = await resolveCustomer(crm.db, ref)
        const { parseAssignments } = await import('../fields/index.js')
        const fieldValues = await parseAssignments(crm.db, sets, config.currency)
        const changes = await editCustomer(crm.db, customer, values, {
          at: isoNow(), defaultCountry: config.country, allowDuplicate: Boolean(opts.allowDuplicate), fieldValues, currency: config.currency,
        })
        if (changes.length === 0) say(`customer ${customer.id}: nothing changed`)
        else say(`customer ${customer.id}: changed ${changes.map((c) => c.field).join(', ')}`)
      })
    })
}
