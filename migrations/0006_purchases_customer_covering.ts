import type { Kysely } from 'kysely'

// Frozen in time: takes Kysely<any>, imports nothing from src/, one transaction.
// 0004 made purchases_customer cover a customer's totals (customer_id, purchased_at,
// amount_cents, currency, order_id). This adds the product, so `crm report basket` reads
// each customer's products in customer order from the index alone. Measured at 10M
// purchases (docs/benchmarks.md, "Reports"): one row per customer with its products, streamed
// from the index, 3.5 s CPU; the same per order through purchases_order_line and the table,
// where the lookups run in nearly rowid order, 7.9 s; per customer those lookups would be
// random. Same name and leading columns: whatever used the index still does.

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.dropIndex('purchases_customer').execute()
    await trx.schema
      .createIndex('purchases_customer')
      .on('purchases')
      .columns(['customer_id', 'purchased_at', 'amount_cents', 'currency', 'order_id', 'product'])
      .execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.dropIndex('purchases_customer').execute()
    await trx.schema
      .createIndex('purchases_customer')
      .on('purchases')
      .columns(['customer_id', 'purchased_at', 'amount_cents', 'currency', 'order_id'])
      .execute()
  })
}
