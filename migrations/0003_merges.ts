import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely'

// Frozen in time: takes Kysely<any>, imports nothing from src/, one transaction.
// merges keeps every row a merge changed or removed, exactly as it was, so
// `crm unmerge` can put them back byte for byte. distinct_pairs remembers
// "not the same person" answers so `crm dedupe` never proposes them again.

// The same schema on PostgreSQL, detected here because a migration imports nothing from
// src/: ids are identity columns, and every text column uses the "C" collation so text
// (ISO-8601 timestamps included) compares and sorts byte by byte, exactly as in SQLite.
const isPg = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter
let pg = false
const now = () =>
  pg ? sql`(to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`
const text = () => (pg ? sql`text collate "C"` : sql`text`)
const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement())
/** PostgreSQL's migrator already runs each migration in a transaction (SQLite's does not). */
const inTransaction = (db: Kysely<any>, body: (trx: Kysely<any>) => Promise<void>) =>
  db.isTransaction ? body(db) : db.transaction().execute(body)

export async function up(db: Kysely<any>): Promise<void> {
  pg = isPg(db)
  await inTransaction(db, async (trx) => {
    await trx.schema
      .createTable('merges')
      .addColumn('id', 'integer', id)
      .addColumn('survivor_id', 'integer', (c) => c.notNull())
      // JSON array of the merged-away customer ids.
      .addColumn('merged_ids', text(), (c) => c.notNull())
      // JSON: the customers rows before the merge, the purchases/interactions/NPS
      // answers moved, the tag links moved or added.
      .addColumn('snapshot', text(), (c) => c.notNull())
      // The survivor's updated_at right after the merge: unmerge refuses if it changed.
      .addColumn('survivor_updated_at', text(), (c) => c.notNull())
      .addColumn('merged_at', text(), (c) => c.notNull())
      .addColumn('undone_at', text())
      .addColumn('created_at', text(), (c) => c.notNull().defaultTo(now()))
      .addColumn('updated_at', text(), (c) => c.notNull().defaultTo(now()))
      .execute()
    await trx.schema.createIndex('merges_survivor').on('merges').column('survivor_id').execute()

    await trx.schema
      .createTable('distinct_pairs')
      .addColumn('customer_a', 'integer', (c) => c.notNull())
      .addColumn('customer_b', 'integer', (c) => c.notNull())
      .addColumn('created_at', text(), (c) => c.notNull().defaultTo(now()))
      .addColumn('updated_at', text(), (c) => c.notNull().defaultTo(now()))
      .addPrimaryKeyConstraint('distinct_pairs_pk', ['customer_a', 'customer_b'])
      .addCheckConstraint('distinct_pairs_order', sql`customer_a < customer_b`)
      .execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  pg = isPg(db)
  await inTransaction(db, async (trx) => {
    await trx.schema.dropTable('distinct_pairs').execute()
    await trx.schema.dropTable('merges').execute()
  })
}
