import { writeTransaction } from '../db/dialect.js'
import type { Kysely } from 'kysely'
import { isoNow } from '../clock.js'
import type { Customer, Database } from '../db/schema.js'
import { UsageError } from '../errors.js'
import { isIsoDate, startOfLocalDay } from '../query/localTime.js'
import { resolveCustomer } from '../customers/findCustomer.js'

export interface NpsAnswerInput {
  /** Id, email or external id of the customer who answered. */
  customer: string
  score: number
  /** ISO-8601 UTC. */
  answeredAt: string
  comment: string | null
  campaign: string | null
}

/**
 * A score typed on the command line: a whole number from 0 to 10. "7.5", "11" and "ten"
 * are usage errors (exit 2), like any bad flag value.
 */
export function parseScore(text: string): number {
  const t = text.trim()
  if (!/^\d{1,2}$/.test(t) || Number(t) > 10) {
    throw new UsageError(`score: "${text}" is not an NPS score (a whole number from 0 to 10)`)
  }
  return Number(t)
}

/**
 * When the answer was given: YYYY-MM-DD (local midnight in the shop's time zone) or an
 * ISO-8601 time with Z or an offset. A time in the future is a typo.
 */
export function parseAnswerDate(text: string, timeZone: string, now: Date): string {
  const t = text.trim()
  let at: Date
  if (isIsoDate(t)) at = startOfLocalDay(t, timeZone)
  else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(t) && !Number.isNaN(Date.parse(t))) at = new Date(t)
  else throw new UsageError(`--date: "${text}" is not a date (use YYYY-MM-DD or 2026-11-20T14:30:00Z)`)
  if (at.getTime() > now.getTime()) throw new UsageError(`--date: ${t} is in the future`)
  return at.toISOString()
}

/** Records one answer for a known customer; returns the new answer's id and the customer. */
export async function addNpsAnswer(db: Kysely<Database>, input: NpsAnswerInput): Promise<{ id: number; customer: Customer }> {
  return writeTransaction(db, async (trx) => {
    const customer = await resolveCustomer(trx, input.customer)
    const stamp = isoNow()
    const row = await trx
      .insertInto('nps_answers')
      .values({
        customer_id: customer.id,
        score: input.score,
        answered_at: input.answeredAt,
        comment: input.comment,
        campaign: input.campaign,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    return { id: row.id, customer }
  })
}
