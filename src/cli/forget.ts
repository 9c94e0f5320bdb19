import { Command } from 'commander'
import { withDb } from './context.js'
import { say } from './messages.js'

export function forgetCommand(): Command {
  return new Command('forget')
    .description('erase a person (right to erasure): personal data removed, purchases kept anonymously')
    .argument('<customer>', 'id, email or external id')
    .requiredOption('--reason <text>', 'why (kept in the audit table), e.g. "erasure request by email 2026-11-20"')
    .option('--yes', 'do not ask (needed when stdin is not a terminal)')
    .addHelpText(
      'after',
      `
Removes name, contact details, address, notes and extra fields; sets every consent to
refused; removes the free text of contacts and NPS answers and the person's values from
audit rows (edits, merges). Purchases stay, anonymous, so reports do not change. A keyed
hash (HMAC-SHA256, secret kept in the database) of the email and phone stays on a
suppression list, so a later import of the same person is reported, not re-created.
Backups made before now still hold the old data until they are pruned or deleted.
Without --yes in a script, forget exits 2 and changes nothing.

Example:
  $ crm forget ana@example.com --reason "asked by email on 2026-11-20" --yes`,
    )
    .action(async (ref: string, opts: { reason: string; yes?: boolean }, command: Command) => {
      await withDb(command, async ({ crm, config }) => {
        const { resolveCustomer, displayName } = await import('../customers/findCustomer.js')
        const { forgetCustomer } = await import('../privacy/forgetCustomer.js')
        const { confirmed } = await import('./confirm.js')
        const { isoNow } = await import('../clock.js')
        const customer = await resolveCustomer(crm.db, ref)
        const who = `customer ${customer.id} (${displayName(customer)})`
        if (!(await confirmed(`Erase ${who} for good?`, opts.yes, `forget erases ${who}`))) {
          say('nothing erased')
          process.exitCode = 1
          return
        }
        // Like merge and restore, an erasure cannot be undone from inside crm: keep the
        // database as it was in a safety backup (which, like every backup, still holds the person).
        const { safetyBackup } = await import('../backup/index.js')
        await safetyBackup(crm, `before crm forget ${customer.id}`)
        const s = await forgetCustomer(crm.db, customer, { at: isoNow(), reason: opts.reason, defaultCountry: config.country })
        say(
          `erased customer ${s.customerId}: personal data removed; ${s.purchasesKept} purchases kept anonymously; ` +
            `${s.suppressed.email} email and ${s.suppressed.phone} phone hashes on the suppression list; ` +
            `${s.auditRowsScrubbed} audit rows and ${s.mergesScrubbed} merge records scrubbed`,
        )
        say('note: backups made before now still hold this person\'s data until they are pruned (crm backup prune) or deleted')
      })
    })
}
