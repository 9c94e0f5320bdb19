import { writeTransaction } from '../db/dialect.js'
import type { Kysely } from 'kysely'
import { CONSENT_CHANNELS, type ConsentChannel, type ConsentStatus, type Customer, type Database } from '../db/schema.js'
import { writeAudit } from './audit.js'

export interface ConsentState {
  status: ConsentStatus
  at: string | null
  source: string | null
  /** May a campaign use this channel? Post and phone unless refused; email and sms only when granted. */
  allowed: boolean
}

/** The rule every list that leaves the program follows (DESIGN: consent per channel). */
export function contactAllowed(channel: ConsentChannel, status: ConsentStatus): boolean {
  return channel === 'email' || channel === 'sms' ? status === 'granted' : status !== 'refused'
}

export function consentOf(c: Customer): Record<ConsentChannel, ConsentState> {
  const out = {} as Record<ConsentChannel, ConsentState>
  for (const ch of CONSENT_CHANNELS) {
    const status = c[`consent_${ch}`]
    out[ch] = { status, at: c[`consent_${ch}_at`], source: c[`consent_${ch}_source`], allowed: contactAllowed(ch, status) }
  }
  return out
}

export interface ConsentChange {
  channel: ConsentChannel
  from: ConsentStatus
  to: ConsentStatus
}

/**
 * Records consent answers with their date and source. The same answer again keeps its
 * original date (the evidence is the first time it was given); each change is audited.
 */
export async function setConsent(
  db: Kysely<Database>,
  customer: Customer,
  answers: Partial<Record<ConsentChannel, ConsentStatus>>,
  o: { at: string; source: string; now: string },
): Promise<ConsentChange[]> {
  const changes: ConsentChange[] = []
  const set: Record<string, string | null> = {}
  for (const ch of CONSENT_CHANNELS) {
    const to = answers[ch]
    if (to === undefined || to === customer[`consent_${ch}`]) continue
    changes.push({ channel: ch, from: customer[`consent_${ch}`], to })
    set[`consent_${ch}`] = to
    set[`consent_${ch}_at`] = to === 'unknown' ? null : o.at
    set[`consent_${ch}_source`] = to === 'unknown' ? null : o.source
  }
  if (changes.length === 0) return changes
  await writeTransaction(db, async (trx) => {
    await trx.updateTable('customers').set({ ...set, updated_at: o.now }).where('id', '=', customer.id).execute()
    await writeAudit(trx, {
      at: o.now,
      action: 'consent',
      customerId: customer.id,
      details: { at: o.at, source: o.source, changes: Object.fromEntries(changes.map((c) => [c.channel, { from: c.from, to: c.to }])) },
    })
  })
  return changes
}
