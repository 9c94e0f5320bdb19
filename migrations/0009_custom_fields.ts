import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely'

// Frozen in time: takes Kysely<any>, imports nothing from src/, one transaction.
// A shop's own fields (`crm field add children --type number`). Definitions are rows of
// custom_fields; values live in ONE typed table, never in columns added to customers:
// adding or removing a field is a row, not an ALTER TABLE (schema changes stay in
// migrations) and never rewrites the customers table; a rename is one row.
// Each value has one typed home: value_num (number; money as integer minor units of the
// base currency; bool 0/1) or value_text (text, choice, date as YYYY-MM-DD). value_key is
// the comparison form of text and choice values (folded like city_key, so `~` and `=`
// ignore case and accents) and the date itself for dates, so one index serves them all.
// The two indexes make `--where children>=2` a range scan over one field's values that
// yields customer ids: (field_id, value_num, customer_id), (field_id, value_key, customer_id).

const isPg = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter
let pg = false
const now = () =>
  pg ? sql`(to_char(now() at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))` : sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`
const text = () => (pg ? sql`text collate "C"` : sql`text`)
const real = () => (pg ? sql`double precision` : sql`real`)
const id = (c: ColumnDefinitionBuilder) => (pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement())
const inTransaction = (db: Kysely<any>, body: (trx: Kysely<any>) => Promise<void>) =>
  db.isTransaction ? body(db) : db.transaction().execute(body)
const TYPES = ['text', 'number', 'money', 'date', 'bool', 'choice']

export async function up(db: Kysely<any>): Promise<void> {
  pg = isPg(db)
  await inTransaction(db, async (trx) => {
    await trx.schema
      .createTable('custom_fields')
      .addColumn('id', 'integer', id)
      .addColumn('name', text(), (c) => c.notNull())
      .addColumn('label', text())
      .addColumn('type', text(), (c) => c.notNull().modifyEnd(sql.raw(` check (${TYPES.map((t) => `type = '${t}'`).join(' or ')})`)))
      // JSON array of the allowed values of a choice field; null otherwise.
      .addColumn('choices', text())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('created_at', text(), (c) => c.notNull().defaultTo(now()))
      .addColumn('updated_at', text(), (c) => c.notNull().defaultTo(now()))
      .execute()
    // Names are unique whatever their case: `Children` and `children` are one field.
    await sql`create unique index custom_fields_name on custom_fields (lower(name))`.execute(trx)

    let values = trx.schema
      .createTable('customer_field_values')
      .addColumn('customer_id', 'integer', (c) => c.notNull().references('customers.id').onDelete('cascade'))
      .addColumn('field_id', 'integer', (c) => c.notNull().references('custom_fields.id').onDelete('cascade'))
      .addColumn('value_text', text())
      .addColumn('value_key', text())
      .addColumn('value_num', real())
      .addColumn('created_at', text(), (c) => c.notNull().defaultTo(now()))
      .addColumn('updated_at', text(), (c) => c.notNull().defaultTo(now()))
      .addPrimaryKeyConstraint('customer_field_values_pk', ['customer_id', 'field_id'])
    // The primary key is the row's home on SQLite: no rowid b-tree beside it.
    if (!pg) values = values.modifyEnd(sql`without rowid`)
    await values.execute()
    await trx.schema.createIndex('customer_field_values_num').on('customer_field_values').columns(['field_id', 'value_num', 'customer_id']).execute()
    await trx.schema.createIndex('customer_field_values_key').on('customer_field_values').columns(['field_id', 'value_key', 'customer_id']).execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  pg = isPg(db)
  await inTransaction(db, async (trx) => {
    await trx.schema.dropTable('customer_field_values').execute()
    await trx.schema.dropTable('custom_fields').execute()
  })
}
