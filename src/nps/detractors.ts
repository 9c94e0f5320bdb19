import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { customerIdsMatching, type FilterContext } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import type { AnswerWindow } from './answerWindow.js'
import { isEmptyFilter } from './loadAnswers.js'

export const DETRACTOR_FIELDS = [
  'id', 'first_name', 'last_name', 'phone', 'email', 'score', 'answered_at', 'campaign', 'comment',
  'last_purchase_at', 'last_product', 'last_amount_cents', 'last_currency', 'consent_phone',
] as const

export type DetractorRow = {
  id: number
  first_name: string | null
  last_name: string | null
  phone: string | null
  email: string | null
  score: number
  answered_at: string
  campaign: string | null
  comment: string | null
  last_purchase_at: string | null
  last_product: string | null
  last_amount_cents: number | null
  last_currency: string | null
  consent_phone: string
}

/**
 * Customers to call back: whose latest answer in the window is 0–6 and who have had no
 * contact (an `interactions` row) since that answer. Lowest scores first, then the
 * longest waiting. Anonymous answers cannot be called back and are left out.
 */
export async function detractorsToCall(
  db: Kysely<Database>,
  sel: { filter: FilterSpec; window: AnswerWindow; campaign?: string },
  ctx: FilterContext,
): Promise<DetractorRow[]> {
  const inWindow = (alias: string) => {
    const col = sql.ref(`${alias}.answered_at`)
    const parts = [sql`1 = 1`]
    if (sel.window.from !== null) parts.push(sql`${col} >= ${sel.window.from}`)
    if (sel.window.to !== null) parts.push(sql`${col} < ${sel.window.to}`)
    if (sel.campaign !== undefined) parts.push(sql`${sql.ref(`${alias}.campaign`)} = ${sel.campaign}`)
    return sql.join(parts, sql` and `)
  }
  const lastPurchase = (column: string) =>
    sql`(select ${sql.ref(`p.${column}`)} from purchases p where p.customer_id = c.id and p.amount_cents >= 0
      order by p.purchased_at desc, p.id desc limit 1)`
  let q = db
    .selectFrom('nps_answers as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .select([
      'c.id', 'c.first_name', 'c.last_name', 'c.phone', 'c.email', 'a.score', 'a.answered_at', 'a.campaign', 'a.comment',
      lastPurchase('purchased_at').$castTo<string | null>().as('last_purchase_at'),
      lastPurchase('product').$castTo<string | null>().as('last_product'),
      lastPurchase('amount_cents').$castTo<number | null>().as('last_amount_cents'),
      lastPurchase('currency').$castTo<string | null>().as('last_currency'),
      'c.consent_phone',
    ])
    .where('c.forgotten_at', 'is', null)
    .where('a.score', '<=', 6)
    .where(sql<boolean>`${inWindow('a')}`)
    // The customer's latest answer in the window: a later 9 means they are no longer a detractor.
    .where(
      'a.id',
      '=',
      sql<number>`(select b.id from nps_answers b where b.customer_id = a.customer_id and ${inWindow('b')}
        order by b.answered_at desc, b.id desc limit 1)`,
    )
    .where(sql<boolean>`not exists (select 1 from interactions i where i.customer_id = c.id and i.occurred_at >= a.answered_at)`)
  if (!isEmptyFilter(sel.filter)) q = q.where('c.id', 'in', customerIdsMatching(db, sel.filter, ctx))
  return q.orderBy('a.score').orderBy('a.answered_at').orderBy('c.id').execute()
}
