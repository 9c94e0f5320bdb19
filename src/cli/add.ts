import { Command, Option } from 'commander'
import type { ConsentChannel, ConsentStatus } from '../db/schema.js'
import { addCustomerFieldOptions, addSetOption, consentFlag, fieldFlags } from './customerFlags.js'
import { withDb } from './context.js'
import { say, writeOut } from './messages.js'

const collect = (value: string, previous: string[] = []) => [...previous, value]

export function addCommand(): Command {
  const cmd = new Command('add')
    .description('add a customer; prints the new id')
    .option('--tag <name>', 'tag the customer (repeatable)', collect)
  addCustomerFieldOptions(cmd)
  addSetOption(cmd)
  for (const ch of ['email', 'mail', 'sms', 'phone']) {
    cmd.addOption(new Option(`--consent-${ch} <answer>`, `consent to ${ch === 'mail' ? 'post' : ch} (yes, no, unknown)`).helpGroup('Consent:'))
  }
  return cmd
    .option('--allow-duplicate', 'add even when another customer has this email')
    .option('--allow-forgotten', 'add a person who was erased with crm forget (only at their own request)')
    .addHelpText(
      'after',
      `
A customer needs a name, a company or an email; on a terminal, crm asks for the name and
email when none is given. Empty values (--city "") are left out.

Example:
  $ crm add --first-name Ana --last-name Silva --email ana@example.com --phone "+1 415 555 0100" \\
      --city "San Francisco" --state CA --tag vip --consent-email yes
  42
  $ crm add --first-name Bo --set children=2 --set income_band=high
  43`,
    )
    .action(async (opts: Record<string, unknown>, command: Command) => {
      const { checkFieldValues } = await import('../customers/customerFields.js')
      const raw = fieldFlags(opts)
      if (!raw.first_name && !raw.last_name && !raw.company && !raw.email && process.stdin.isTTY) {
        const { prompt } = await import('./confirm.js')
        const [first, last, email] = await prompt(['First name', 'Last name', 'Email'])
        Object.assign(raw, { first_name: first, last_name: last, email })
      }
      const values = checkFieldValues(raw)
      const consent: Partial<Record<ConsentChannel, ConsentStatus>> = {}
      for (const ch of ['email', 'mail', 'sms', 'phone'] as const) {
        const v = opts[`consent${ch[0]!.toUpperCase()}${ch.slice(1)}`]
        if (typeof v === 'string') consent[ch] = await consentFlag(`--consent-${ch}`, v)
      }
      await withDb(command, async ({ crm, config }) => {
        const { addCustomer } = await import('../customers/addCustomer.js')
        const { isoNow } = await import('../clock.js')
        const { parseAssignments } = await import('../fields/index.js')
        const fieldValues = await parseAssignments(crm.db, (opts.set as string[] | undefined) ?? [], config.currency)
        const id = await addCustomer(crm.db, {
          fieldValues,
          currency: config.currency,
          values,
          tags: opts.tag as string[] | undefined,
          consent,
          allowDuplicate: Boolean(opts.allowDuplicate),
          allowForgotten: Boolean(opts.allowForgotten),
          at: isoNow(),
          defaultCountry: config.country,
        })
        await writeOut(`${id}\n`)
        say(`added customer ${id}`)
      })
    })
}
