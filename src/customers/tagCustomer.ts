import { writeTransaction } from '../db/dialect.js'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'
import { UsageError } from '../errors.js'
import { writeAudit } from './audit.js'
import { currentCustomer } from './currentCustomer.js'

function cleanTags(names: string[]): string[] {
  const out = names.map((n) => n.trim().replace(/\s+/g, ' '))
  const bad = out.find((n) => n === '' || /[,;|]/.test(n))
  if (bad !== undefined) throw new UsageError(`tag "${bad}": a tag is a non-empty name without , ; or |`)
  return [...new Set(out)]
}

/** Links tags (created when new) to a customer; returns the names that were not there yet. */
export async function addTags(db: Kysely<Database>, customerId: number, names: string[], at: string): Promise<string[]> {
  const added: string[] = []
  for (const name of cleanTags(names)) {
    await db.insertInto('tags').values({ name, created_at: at, updated_at: at }).onConflict((oc) => oc.column('name').doNothing()).execute()
    const tag = await db.selectFrom('tags').select('id').where('name', '=', name).executeTakeFirstOrThrow()
    const r = await db
      .insertInto('customer_tags')
      .values({ customer_id: customerId, tag_id: tag.id, created_at: at, updated_at: at })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst()
    if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) added.push(name)
  }
  return added
}

/** `crm tag`: adds tags in one transaction, stamps updated_at and audits when something changed. */
export async function tagCustomer(db: Kysely<Database>, customerId: number, names: string[], at: string): Promise<string[]> {
  return writeTransaction(db, async (trx) => {
    await currentCustomer(trx, customerId, 'tag')
    const added = await addTags(trx, customerId, names, at)
    if (added.length) {
      await trx.updateTable('customers').set({ updated_at: at }).where('id', '=', customerId).execute()
      await writeAudit(trx, { at, action: 'tag', customerId, details: { added } })
    }
    return added
  })
}

/** `crm untag`: removes tags from one customer; returns the names that were removed. */
export async function untagCustomer(db: Kysely<Database>, customerId: number, names: string[], at: string): Promise<string[]> {
  return writeTransaction(db, async (trx) => {
    await currentCustomer(trx, customerId, 'untag')
    const removed: string[] = []
    for (const name of cleanTags(names)) {
      const r = await trx
        .deleteFrom('customer_tags')
        .where('customer_id', '=', customerId)
        .where('tag_id', 'in', trx.selectFrom('tags').select('id').where('name', '=', name))
        .executeTakeFirst()
      if (Number(r.numDeletedRows) > 0) removed.push(name)
    }
    if (removed.length) {
      await trx.updateTable('customers').set({ updated_at: at }).where('id', '=', customerId).execute()
      await writeAudit(trx, { at, action: 'untag', customerId, details: { removed } })
    }
    return removed
  })
}

/** A customer's tags, by name. */
export async function tagsOf(db: Kysely<Database>, customerId: number): Promise<string[]> {
  const rows = await db
    .selectFrom('customer_tags')
    .innerJoin('tags', 'tags.id', 'customer_tags.tag_id')
    .select('tags.name')
    .where('customer_tags.customer_id', '=', customerId)
    .orderBy('tags.name')
    .execute()
  return rows.map((r) => r.name)
}
