import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { customerIdsMatching, type FilterContext } from '../query/customerFilter.js'
import type { FilterSpec } from '../query/filterSpec.js'
import type { AnswerWindow } from './answerWindow.js'
import type { ScoredAnswer } from './group.js'
import type { NpsCounts } from './score.js'

/** An answer with the customer fields `--by` can group on. */
export interface LoadedAnswer extends ScoredAnswer {
  campaign: string | null
  source: string | null
  sourceKey: string | null
  gender: string | null
  city: string | null
  cityKey: string | null
  region: string | null
  regionKey: string | null
}

export interface AnswerSelection {
  /** The customer filter; an empty spec selects every answer, anonymous ones included. */
  filter: FilterSpec
  window: AnswerWindow
  campaign?: string
}

/** True when the spec selects nobody in particular (no flag given). */
export function isEmptyFilter(spec: FilterSpec): boolean {
  return Object.values(spec).every((v) => v === undefined)
}

/**
 * The answers in a window, with their customer's fields when `withCustomer` (only `--by
 * source|gender|city|state` needs them: the join is skipped otherwise). A customer filter
 * keeps only answers of the customers it selects, so anonymous answers drop out; without
 * one they count. Rows come in no particular order.
 */
export async function loadAnswers(
  db: Kysely<Database>,
  sel: AnswerSelection,
  ctx: FilterContext,
  withCustomer = false,
): Promise<LoadedAnswer[]> {
  let q = db.selectFrom('nps_answers').select(['nps_answers.id', 'nps_answers.customer_id', 'nps_answers.score', 'nps_answers.answered_at', 'nps_answers.campaign'])
  if (sel.window.from !== null) q = q.where('nps_answers.answered_at', '>=', sel.window.from)
  if (sel.window.to !== null) q = q.where('nps_answers.answered_at', '<', sel.window.to)
  if (sel.campaign !== undefined) q = q.where('nps_answers.campaign', '=', sel.campaign)
  if (!isEmptyFilter(sel.filter)) q = q.where('nps_answers.customer_id', 'in', customerIdsMatching(db, sel.filter, ctx))
  // Object literals of one shape, no spreads: at 500,000 answers spreading cost seconds of GC.
  if (!withCustomer) {
    const rows = await q.execute()
    return rows.map((r) => ({
      id: r.id,
      customerId: r.customer_id,
      score: r.score,
      answeredAt: r.answered_at,
      campaign: r.campaign,
      source: null,
      sourceKey: null,
      gender: null,
      city: null,
      cityKey: null,
      region: null,
      regionKey: null,
    }))
  }
  const rows = await q
    .leftJoin('customers', 'customers.id', 'nps_answers.customer_id')
    .select(['customers.source', 'customers.source_key', 'customers.gender', 'customers.city', 'customers.city_key', 'customers.region', 'customers.region_key'])
    .execute()
  return rows.map((r) => ({
    id: r.id,
    customerId: r.customer_id,
    score: r.score,
    answeredAt: r.answered_at,
    campaign: r.campaign,
    source: r.source,
    sourceKey: r.source_key,
    gender: r.gender,
    city: r.city,
    cityKey: r.city_key,
    region: r.region,
    regionKey: r.region_key,
  }))
}

/**
 * The three counts of the answers a selection picks, computed in the database: each
 * customer's latest answer (a window function), or every answer with `allAnswers`.
 * The same numbers as counting loadAnswers() in JavaScript, without moving the rows.
 */
export async function countAnswers(db: Kysely<Database>, sel: AnswerSelection, ctx: FilterContext, allAnswers: boolean): Promise<NpsCounts> {
  let q = db
    .selectFrom('nps_answers')
    .select([
      'nps_answers.customer_id',
      'nps_answers.score',
      sql<number>`row_number() over (partition by nps_answers.customer_id order by nps_answers.answered_at desc, nps_answers.id desc)`.as('rank'),
    ])
  if (sel.window.from !== null) q = q.where('nps_answers.answered_at', '>=', sel.window.from)
  if (sel.window.to !== null) q = q.where('nps_answers.answered_at', '<', sel.window.to)
  if (sel.campaign !== undefined) q = q.where('nps_answers.campaign', '=', sel.campaign)
  if (!isEmptyFilter(sel.filter)) q = q.where('nps_answers.customer_id', 'in', customerIdsMatching(db, sel.filter, ctx))
  const counted = allAnswers ? sql<boolean>`1 = 1` : sql<boolean>`(a.customer_id is null or a.rank = 1)`
  const r = await db
    .selectFrom(q.as('a'))
    .select([
      sql<number>`coalesce(sum(case when a.score >= 9 then 1 else 0 end), 0)`.as('promoters'),
      sql<number>`coalesce(sum(case when a.score between 7 and 8 then 1 else 0 end), 0)`.as('passives'),
      sql<number>`coalesce(sum(case when a.score <= 6 then 1 else 0 end), 0)`.as('detractors'),
    ])
    .where(counted)
    .executeTakeFirstOrThrow()
  return { promoters: Number(r.promoters), passives: Number(r.passives), detractors: Number(r.detractors) }
}

/** Each answering customer's tag names, for `--by tag`. */
export async function tagsOfCustomers(db: Kysely<Database>, customerIds: readonly number[]): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>()
  const ids = [...new Set(customerIds)]
  // Chunks keep each statement under SQLite's bound-parameter limit.
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await db
      .selectFrom('customer_tags')
      .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
      .select(['customer_tags.customer_id', 'tags.name'])
      .where('customer_tags.customer_id', 'in', ids.slice(i, i + 5000))
      .orderBy('tags.name')
      .execute()
    for (const r of rows) {
      const list = out.get(r.customer_id) ?? []
      list.push(r.name)
      out.set(r.customer_id, list)
    }
  }
  return out
}
