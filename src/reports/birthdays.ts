import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { customerIdsMatching } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import { isLeapYear, localDate } from '../query/localTime.js'
import { consentedContact, refusedEverything, type ConsentColumns, type ContactDetails, type FilterContext } from './reportScope.js'

export interface BirthdayRow extends ContactDetails {
  id: number
  first_name: string | null
  last_name: string | null
  /** The next birthday on or after today (local), YYYY-MM-DD. */
  birthday: string
  /** Days from today: 0 is today. */
  days: number
  /** The age they turn; null when only the day and month are known (--MM-DD). */
  turns: number | null
}

/**
 * The next birthday on or after `today` for a birth date (YYYY-MM-DD or --MM-DD): over New
 * Year it is next year's; 29 February is celebrated on 1 March in common years (as the
 * --birthday-within filter counts it).
 */
export function nextBirthday(birthDate: string, today: string): { date: string; days: number; turns: number | null } {
  const monthDay = birthDate.slice(-5)
  const born = /^\d{4}-/.test(birthDate) ? Number(birthDate.slice(0, 4)) : null
  const on = (year: number) => (monthDay === '02-29' && !isLeapYear(year) ? `${year}-03-01` : `${year}-${monthDay}`)
  let year = Number(today.slice(0, 4))
  let date = on(year)
  if (date < today) date = on(++year)
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
  return { date, days, turns: born === null ? null : year - born }
}

type BirthdayCustomer = ContactDetails &
  ConsentColumns & { id: number; first_name: string | null; last_name: string | null; birth_date: string }

/** Rows for customers whose birthday is in the filter's range; consent honoured (see birthdaysReport). */
export function birthdayRows(customers: readonly BirthdayCustomer[], today: string): BirthdayRow[] {
  return customers
    .filter((c) => !refusedEverything(c))
    .map((c) => {
      const next = nextBirthday(c.birth_date, today)
      return { id: c.id, first_name: c.first_name, last_name: c.last_name, birthday: next.date, days: next.days, turns: next.turns, ...consentedContact(c) }
    })
    .sort((a, b) => a.days - b.days || (a.last_name ?? '').localeCompare(b.last_name ?? '') || (a.first_name ?? '').localeCompare(b.first_name ?? '') || a.id - b.id)
}

/**
 * Upcoming birthdays (today through `spec.birthdayWithin` days, local calendar) with age and
 * contact details, soonest first. Consent: someone who refused every channel is left out;
 * the details of a refused channel are blanked (email; phone when calls and texts are
 * both refused; the address when post is).
 */
export async function birthdaysReport(db: Kysely<Database>, spec: FilterSpec, ctx: FilterContext): Promise<BirthdayRow[]> {
  const r = await sql<BirthdayCustomer>`
    select id, first_name, last_name, birth_date, email, phone, street, city, region, postal_code, country,
      consent_email, consent_mail, consent_sms, consent_phone
    from customers where birth_date is not null and id in (${customerIdsMatching(db, spec, ctx)})`.execute(db)
  return birthdayRows(r.rows, localDate(ctx.now, ctx.config.timezone))
}

