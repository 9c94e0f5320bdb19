import { Command } from 'commander'
import { UsageError } from '../errors.js'
import { withDb } from './context.js'
import { say, writeOut } from './messages.js'

export function purchaseCommand(): Command {
  const cmd = new Command('purchase')
    .description("record a customer's purchases")
    .addHelpText('after', '\nExample:\n  $ crm purchase add ana@example.com --amount 49.90 --product "Rain jacket"')
  cmd
    .command('add')
    .description('record one purchase (a negative amount is a refund); prints its id')
    .argument('<customer>', 'id, email or external id')
    .requiredOption('--amount <amount>', 'amount paid, e.g. 49.90 (minus for a refund)')
    .option('--currency <code>', 'ISO currency code (default: config currency)')
    .option('--product <name>', 'what was bought')
    .option('--category <name>', 'product category')
    .option('--quantity <n>', 'how many', '1')
    .option('--order <id>', 'order or receipt number')
    .option('--date <when>', 'when: YYYY-MM-DD or an ISO date and time (default: now)')
    .addHelpText('after', '\nExample:\n  $ crm purchase add ana@example.com --amount 49.90 --product "Rain jacket" --category outerwear --date 2026-11-20')
    .action(async (ref: string, opts: Record<string, string | undefined>, sub: Command) => {
      await withDb(sub, async ({ crm, config }) => {
        const { parseMoneyFlag } = await import('./filterOptions.js')
        const { parseTimestamp, ParseError } = await import('../import/parse/dates.js')
        const { resolveCustomer } = await import('../customers/findCustomer.js')
        const { addPurchase } = await import('../customers/addPurchase.js')
        const { isoNow } = await import('../clock.js')
        const currency = (opts.currency ?? config.currency).toUpperCase()
        if (!/^[A-Z]{3}$/.test(currency)) throw new UsageError(`--currency: "${opts.currency}" is not a currency code (e.g. USD, EUR)`)
        const cents = parseMoneyFlag('--amount', opts.amount!, currency)
        if (!/^\d+$/.test(opts.quantity!) || Number(opts.quantity) < 1) throw new UsageError(`--quantity: "${opts.quantity}" is not a whole number of at least 1`)
        const now = isoNow()
        let at = now
        if (opts.date) {
          const t = parseTimestamp(opts.date, 'ymd', config.timezone)
          if (t instanceof ParseError) throw new UsageError(`--date: ${t.reason}`)
          at = t
        }
        const customer = await resolveCustomer(crm.db, ref)
        const id = await addPurchase(
          crm.db,
          {
            customer_id: customer.id,
            purchased_at: at,
            product: opts.product?.trim() || null,
            category: opts.category?.trim() || null,
            quantity: Number(opts.quantity),
            amount_cents: cents,
            currency,
            order_id: opts.order?.trim() || null,
            line: null,
          },
          now,
        )
        await writeOut(`${id}\n`)
        say(`purchase ${id} recorded for customer ${customer.id}`)
      })
    })
  return cmd
}
