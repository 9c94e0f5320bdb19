import { z } from 'zod'
import { CONSENT_CHANNELS } from '../db/schema.js'
import { RFM_SEGMENTS } from '../reports/rfmSegments.js'
import { ResolvedWhere } from '../fields/whereFilter.js'
import { WhereClause } from '../fields/whereGrammar.js'
import { isIsoDate } from './localTime.js'

const isoDate = z.string().refine(isIsoDate, 'a date written YYYY-MM-DD')
const text = z.string().trim().min(1)
const count = z.number().int().min(0)

/**
 * Which customers a command works on: the one filter behind `query`, `labels`, `export`,
 * `nps` and the reports. Plain JSON, so a segment stores it as is; a relative window
 * (`days`) stays relative. Money is integer cents in the base currency.
 */
export const FilterSpec = z
  .object({
    gender: z.enum(['f', 'm', 'x']).optional(),
    /** Age in whole years on today's local date. */
    ageMin: count.optional(),
    ageMax: count.optional(),
    /** Birthday today or in the next N days (29 February counts as 1 March in common years). */
    birthdayWithin: count.max(366).optional(),
    city: text.optional(),
    region: text.optional(),
    /** A prefix of the postal code: "10" matches 10115 and 10247. */
    postalCode: text.optional(),
    /** ISO 3166 alpha-2. */
    country: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code such as US').optional(),
    territory: text.optional(),
    rep: text.optional(),
    source: text.optional(),
    /** Every tag must be on the customer. */
    tags: z.array(text).optional(),
    /** May be contacted on each of these channels (mail = post). */
    consent: z.array(z.enum(CONSENT_CHANNELS)).optional(),
    /** Words (or parts) in the name, email, company, address or notes (accent-insensitive), or digits of a phone. */
    search: text.optional(),
    /** Purchase window: from local midnight N days before today through now. */
    days: count.optional(),
    /** Purchase window: from local midnight of `since` through the end of `until`. */
    since: isoDate.optional(),
    until: isoDate.optional(),
    /** Net spend in the window (refunds subtract), base currency, cents. */
    spentGt: z.number().int().optional(),
    spentLt: z.number().int().optional(),
    /** More than N orders in the window (refund lines are not orders). */
    ordersGt: count.optional(),
    /** Bought this product / something in this category in the window (case-insensitive name). */
    bought: text.optional(),
    category: text.optional(),
    /** Bought something once, but nothing since local midnight N days ago. */
    inactiveDays: count.optional(),
    /** In this RFM segment, scored over the whole customer base for the purchase window (crm report rfm). */
    rfmSegment: z.enum(RFM_SEGMENTS).optional(),
    /** A saved segment's filter, combined with the other fields (they win where both say). */
    segment: text.optional(),
    /** Conditions on custom fields (`--where "children>=2"`), all of which must hold. */
    where: z.array(WhereClause).optional(),
    /** `where` checked against the field definitions by resolveSegment(); never saved. */
    fieldFilters: z.array(ResolvedWhere).optional(),
  })
  .strict()
  .refine((s) => !(s.days !== undefined && (s.since !== undefined || s.until !== undefined)), {
    message: '--days cannot be combined with --since/--until',
  })
  .refine((s) => !(s.since && s.until && s.since > s.until), { message: '--since is after --until' })
export type FilterSpec = z.infer<typeof FilterSpec>
