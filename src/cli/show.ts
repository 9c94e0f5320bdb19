import { Command, Option } from 'commander'
import type { CustomerProfile } from '../customers/customerProfile.js'
import { withDb } from './context.js'
import { valueText } from '../fields/fieldValue.js'
import { writeOut } from './messages.js'

export function showCommand(): Command {
  return new Command('show')
    .description("one customer's whole profile: fields, tags, consent, purchases, contacts, NPS")
    .argument('<customer>', 'id, email or external id')
    .addOption(new Option('--format <format>', 'text (readable) or json (the same content)').choices(['text', 'json']).default('text'))
    .addHelpText('after', '\nExample:\n  $ crm show ana@example.com\n  $ crm show 42 --format json | jq .purchases')
    .action(async (ref: string, opts: { format: 'text' | 'json' }, command: Command) => {
      await withDb(command, async ({ crm, config }) => {
        const { resolveCustomer } = await import('../customers/findCustomer.js')
        const { customerProfile } = await import('../customers/customerProfile.js')
        const customer = await resolveCustomer(crm.db, ref, { allowForgotten: true })
        const profile = await customerProfile(crm.db, customer, config.currency)
        await writeOut(opts.format === 'json' ? JSON.stringify(profile, null, 2) + '\n' : renderProfile(profile))
      })
    })
}

function money(cents: number, currency: string): string {
  let digits = 2
  try {
    digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  } catch {
    // an unknown code: two decimals
  }
  return `${(cents / 10 ** digits).toFixed(digits)} ${currency}`
}

const LABELS: Record<string, string> = {
  external_id: 'External id', first_name: 'First name', last_name: 'Last name', email: 'Email', phone: 'Phone', gender: 'Gender',
  birth_date: 'Birth date', street: 'Street', city: 'City', region: 'Region', postal_code: 'Postal code', country: 'Country',
  company: 'Company', job_title: 'Job title', source: 'Source', territory: 'Territory', sales_rep: 'Sales rep', notes: 'Notes',
}

/** The profile as a person reads it on one screen; empty fields are left out. */
export function renderProfile(p: CustomerProfile): string {
  const out: string[] = []
  const f = p.fields
  const name = [f.first_name, f.last_name].filter(Boolean).join(' ') || f.company || f.email || '(no name)'
  out.push(`${name}  (customer ${p.id})`)
  if (p.forgotten_at) out.push(`Erased with crm forget on ${p.forgotten_at.slice(0, 10)}; only anonymous purchases remain.`)
  out.push('')
  const width = Math.max(...Object.values(LABELS).map((l) => l.length)) + 2
  for (const [key, label] of Object.entries(LABELS)) {
    const v = f[key as keyof typeof f]
    if (v == null || v === '') continue
    const shown = key === 'phone' && p.phone_e164 && p.phone_e164 !== v ? `${v}  (${p.phone_e164})` : v
    out.push(`${(label + ':').padEnd(width)}${shown.replace(/\n/g, '\n' + ' '.repeat(width))}`)
  }
  for (const c of p.custom) {
    const label = (c.label ?? c.name) + ':'
    out.push(`${label.length >= width ? label + ' ' : label.padEnd(width)}${valueText(c.value)}`)
  }
  if (p.tags.length) out.push(`${'Tags:'.padEnd(width)}${p.tags.join(', ')}`)
  out.push('', 'Consent')
  for (const [ch, c] of Object.entries(p.consent)) {
    const when = c.at ? ` on ${c.at.slice(0, 10)}${c.source ? ` (${c.source})` : ''}` : ''
    out.push(`  ${(ch === 'mail' ? 'post' : ch).padEnd(7)}${c.status}${when}${c.allowed ? '' : ' — not contacted for campaigns'}`)
  }
  out.push('', 'Purchases')
  const s = p.purchases
  if (s.count === 0) out.push('  none')
  else {
    for (const c of s.by_currency) {
      out.push(`  ${c.purchases} purchase${c.purchases === 1 ? '' : 's'}, total ${money(c.total_cents, c.currency)}, average ${money(c.average_cents, c.currency)}`)
    }
    out.push(`  first ${s.first!.slice(0, 10)}, last ${s.last!.slice(0, 10)}${s.favourite_category ? `, favourite category ${s.favourite_category}` : ''}`)
  }
  out.push('', 'Last contacts')
  if (p.last_contacts.length === 0) out.push('  none')
  for (const c of p.last_contacts) out.push(`  ${c.occurred_at.slice(0, 16).replace('T', ' ')}  ${c.channel} ${c.kind}${c.note ? `: ${c.note.replace(/\s+/g, ' ')}` : ''}`)
  out.push('', 'NPS answers')
  if (p.nps.length === 0) out.push('  none')
  for (const a of p.nps) out.push(`  ${a.answered_at.slice(0, 10)}  ${String(a.score).padStart(2)}${a.campaign ? `  ${a.campaign}` : ''}${a.comment ? `  "${a.comment.replace(/\s+/g, ' ')}"` : ''}`)
  out.push('', `Created ${p.created_at.slice(0, 10)}, updated ${p.updated_at.slice(0, 10)}`)
  return out.join('\n') + '\n'
}
