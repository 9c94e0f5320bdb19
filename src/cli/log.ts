import { Command, Option } from 'commander'
import { INTERACTION_CHANNELS, INTERACTION_KINDS } from '../db/schema.js'
import { CrmError, UsageError } from '../errors.js'
import { withDb } from './context.js'
import { say, warn, writeOut } from './messages.js'

export function logCommand(): Command {
  return new Command('log')
    .description('record a contact with a customer (call, complaint, question, review, note)')
    .argument('<customer>', 'id, email or external id')
    .argument('[text]', 'what was said or done')
    .addOption(new Option('--channel <channel>', 'how').choices(INTERACTION_CHANNELS).makeOptionMandatory())
    .addOption(new Option('--kind <kind>', 'what').choices(INTERACTION_KINDS).default('note'))
    .option('--date <when>', 'when: YYYY-MM-DD or an ISO date and time (default: now)')
    .option('--days <n>', 'warn when the same channel was used within N days', '7')
    .option('--force', 'record it even when the customer was contacted that way recently')
    .addHelpText(
      'after',
      `
So nobody is called twice: when the customer was already contacted through the same channel
within --days (default 7), crm says when and exits 1 without recording; --force records it.

Example:
  $ crm log ana@example.com --channel phone --kind call "Asked about the winter sale"
  $ crm log 42 --channel email --kind complaint "Parcel arrived damaged" --force`,
    )
    .action(async (ref: string, text: string | undefined, opts: Record<string, string | boolean | undefined>, command: Command) => {
      const days = String(opts.days)
      if (!/^\d+$/.test(days)) throw new UsageError(`--days: "${days}" is not a whole number`)
      await withDb(command, async ({ crm, config }) => {
        const { parseTimestamp, ParseError } = await import('../import/parse/dates.js')
        const { resolveCustomer, displayName } = await import('../customers/findCustomer.js')
        const { logContact, recentContact } = await import('../customers/logContact.js')
        const { now: clock } = await import('../clock.js')
        const now = clock().toISOString()
        let at = now
        if (typeof opts.date === 'string') {
          const t = parseTimestamp(opts.date, 'ymd', config.timezone)
          if (t instanceof ParseError) throw new UsageError(`--date: ${t.reason}`)
          at = t
        }
        const customer = await resolveCustomer(crm.db, ref)
        const channel = opts.channel as (typeof INTERACTION_CHANNELS)[number]
        const since = new Date(new Date(at).getTime() - Number(days) * 86_400_000).toISOString()
        const recent = await recentContact(crm.db, customer.id, channel, since, at > now ? at : now)
        if (recent) {
          const ago = Math.floor((new Date(at).getTime() - new Date(recent.occurred_at).getTime()) / 86_400_000)
          const message = `${displayName(customer)} was already contacted by ${channel} on ${recent.occurred_at.slice(0, 16).replace('T', ' ')} UTC (${ago === 0 ? 'today' : ago === 1 ? '1 day ago' : `${ago} days ago`}, ${recent.kind})`
          if (!opts.force) throw new CrmError(`${message}; not recorded (--force records it anyway)`)
          warn(message)
        }
        const id = await logContact(crm.db, { customerId: customer.id, channel, kind: opts.kind as (typeof INTERACTION_KINDS)[number], note: text?.trim() || null, occurredAt: at }, now)
        await writeOut(`${id}\n`)
        say(`contact ${id} recorded for customer ${customer.id}`)
      })
    })
}
