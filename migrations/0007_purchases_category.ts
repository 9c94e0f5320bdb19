import { sql, type Kysely } from 'kysely'

// Frozen in time: takes Kysely<any>, imports nothing from src/, one transaction.
// `crm report sales --category X` and the filter's `--category` match
// lower(category) = x: with the category in no index, every purchase line was read from
// the table once per period (34 s CPU at 10M purchases). This index holds a category's
// lines in time order with what a sale needs (customer, amount, currency), so a category
// report reads only its own lines, from the index alone. An expression, not the column:
// the match is on lower(category) (ASCII folding on both SQLite and PostgreSQL, whose
// text columns are collate "C"). Cost: one more index entry per purchase on import
// (docs/benchmarks.md, "Reports").

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`create index purchases_category on purchases (lower(category), purchased_at, customer_id, amount_cents, currency)`.execute(trx)
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.dropIndex('purchases_category').execute()
  })
}
