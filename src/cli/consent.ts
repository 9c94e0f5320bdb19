import { Command } from 'commander'
import { CONSENT_CHANNELS, type ConsentChannel, type ConsentStatus } from '../db/schema.js'
import { UsageError } from '../errors.js'
import { consentFlag } from './customerFlags.js'
import { withDb } from './context.js'
import { say, writeOut } from './messages.js'

export function consentCommand(): Command {
  return new Command('consent')
    .description("record a customer's consent or refusal per channel; without flags, show it")
    .argument('<customer>', 'id, email or external id')
    .option('--email <answer>', 'email campaigns: yes, no or unknown')
    .option('--mail <answer>', 'post (letters, catalogues): yes, no or unknown')
    .option('--sms <answer>', 'text messages: yes, no or unknown')
    .option('--phone <answer>', 'phone calls: yes, no or unknown')
    .option('--source <text>', 'where the answer came from (default: "crm consent")')
    .option('--date <when>', 'when it was given: YYYY-MM-DD or ISO date and time (default: now)')
    .addHelpText(
      'after',
      `
Email and sms campaigns need a "yes"; post and phone are allowed unless refused.
A refusal is honoured by labels, exports and --consent filters.

Example:
  $ crm consent ana@example.com --email no
  $ crm consent 42 --email yes --source "signup form" --date 2026-11-01
  $ crm consent 42`,
    )
    .action(async (ref: string, opts: Record<string, string | undefined>, command: Command) => {
      const answers: Partial<Record<ConsentChannel, ConsentStatus>> = {}
      for (const ch of CONSENT_CHANNELS) if (opts[ch] !== undefined) answers[ch] = await consentFlag(`--${ch}`, opts[ch]!)
      await withDb(command, async ({ crm, config }) => {
        const { resolveCustomer } = await import('../customers/findCustomer.js')
        const { consentOf, setConsent } = await import('../customers/setConsent.js')
        const { isoNow } = await import('../clock.js')
        const customer = await resolveCustomer(crm.db, ref)
        if (Object.keys(answers).length === 0) {
          if (opts.source || opts.date) throw new UsageError('--source and --date go with an answer (--email no …)')
          const rows = Object.entries(consentOf(customer)).map(([ch, c]) => [ch, c.status, c.at ?? '', c.source ?? '', c.allowed ? 'yes' : 'no'].join('\t'))
          await writeOut(['channel\tstatus\tat\tsource\tcampaigns', ...rows].join('\n') + '\n')
          return
        }
        const now = isoNow()
        let at = now
        if (opts.date) {
          const { parseTimestamp, ParseError } = await import('../import/parse/dates.js')
          const t = parseTimestamp(opts.date, 'ymd', config.timezone)
          if (t instanceof ParseError) throw new UsageError(`--date: ${t.reason}`)
          at = t
        }
        const changes = await setConsent(crm.db, customer, answers, { at, source: opts.source?.trim() || 'crm consent', now })
        if (changes.length === 0) say(`customer ${customer.id}: consent unchanged`)
        for (const c of changes) say(`customer ${customer.id}: ${c.channel} ${c.from} → ${c.to}`)
      })
    })
}
