import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { CrmError } from '../errors.js'
import { FilterSpec } from './filterSpec.js'

/** A saved, named filter. */
export interface SegmentSummary {
  name: string
  filter: FilterSpec
  created_at: string
  updated_at: string
}

function parseStored(name: string, json: string): FilterSpec {
  const parsed = FilterSpec.safeParse(JSON.parse(json))
  if (!parsed.success) throw new CrmError(`segment "${name}": the saved filter is not valid (${parsed.error.issues[0]?.message})`)
  return parsed.data
}

/**
 * Replaces `spec.segment` by the saved filter it names; the spec's own fields win where
 * both set one (tags and consent channels add up). Specs without a segment come back as is.
 */
export async function resolveSegment(db: Kysely<Database>, spec: FilterSpec, seen: string[] = []): Promise<FilterSpec> {
  if (spec.segment === undefined) return seen.length ? spec : withFieldFilters(db, spec)
  if (seen.includes(spec.segment)) throw new CrmError(`segment "${spec.segment}" refers to itself (${[...seen, spec.segment].join(' → ')})`)
  const row = await db.selectFrom('segments').select('filter').where('name', '=', spec.segment).executeTakeFirst()
  if (!row) throw new CrmError(`no segment named "${spec.segment}" (crm segment list shows them)`)
  const saved = await resolveSegment(db, parseStored(spec.segment, row.filter), [...seen, spec.segment])
  const { segment: _named, ...own } = spec
  const merged: FilterSpec = { ...saved, ...own }
  if (saved.tags || own.tags) merged.tags = [...new Set([...(saved.tags ?? []), ...(own.tags ?? [])])]
  if (saved.where || own.where) merged.where = [...(saved.where ?? []), ...(own.where ?? [])]
  if (saved.consent || own.consent) merged.consent = [...new Set([...(saved.consent ?? []), ...(own.consent ?? [])])]
  // A window given on the command line replaces the saved one as a whole.
  if (own.days !== undefined) {
    delete merged.since
    delete merged.until
  } else if (own.since !== undefined || own.until !== undefined) {
    delete merged.days
  }
  const resolved = FilterSpec.parse(merged)
  return seen.length ? resolved : withFieldFilters(db, resolved)
}

/** The spec with its `--where` clauses checked against the custom fields (fieldFilters). */
async function withFieldFilters(db: Kysely<Database>, spec: FilterSpec): Promise<FilterSpec> {
  const { fieldFilters: _stale, ...rest } = spec
  if (!rest.where?.length) return rest
  const { resolveWhere } = await import('../fields/whereFilter.js')
  const { loadConfig } = await import('../config/config.js')
  return { ...rest, fieldFilters: await resolveWhere(db, rest.where, () => loadConfig().currency) }
}

/** Saves (or replaces) a named filter; a segment may build on another one by name. */
export async function saveSegment(db: Kysely<Database>, name: string, spec: FilterSpec, at: string): Promise<'created' | 'replaced'> {
  if (spec.segment === name) throw new CrmError(`segment "${name}" cannot be built on itself`)
  if (spec.segment !== undefined || spec.where?.length) await resolveSegment(db, spec)
  const { fieldFilters: _resolved, ...saved } = spec
  const filter = JSON.stringify(saved)
  return db.transaction().execute(async (trx) => {
    const existing = await trx.selectFrom('segments').select('id').where('name', '=', name).executeTakeFirst()
    if (existing) {
      await trx.updateTable('segments').set({ filter, updated_at: at }).where('id', '=', existing.id).execute()
      return 'replaced'
    }
    await trx.insertInto('segments').values({ name, filter, created_at: at, updated_at: at }).execute()
    return 'created'
  })
}

export async function listSegments(db: Kysely<Database>): Promise<SegmentSummary[]> {
  const rows = await db.selectFrom('segments').select(['name', 'filter', 'created_at', 'updated_at']).orderBy('name').execute()
  return rows.map((r) => ({ ...r, filter: parseStored(r.name, r.filter) }))
}

/** Removes a segment; returns false when there was none by that name. */
export async function removeSegment(db: Kysely<Database>, name: string): Promise<boolean> {
  const r = await db.deleteFrom('segments').where('name', '=', name).executeTakeFirst()
  return Number(r.numDeletedRows) > 0
}
