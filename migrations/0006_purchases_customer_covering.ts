import type { Kysely } from 'kysely'

/**
 * purchases_customer (customer_id, purchased_at) becomes covering for the per-customer
 * totals the reports and `crm query` compute (last order, orders, spend, products bought):
 * (customer_id, purchased_at, amount_cents, currency, order_id, product).
 *
 * Measured on 1,000,000 customers / 10,000,000 purchases (docs/benchmarks.md, "Reports"):
 * last order, orders and spend for every customer in one GROUP BY customer_id took 5.0 s of
 * CPU as a sort over purchases_window, 2.3–3.9 s streamed from this index without a sort
 * or a single table lookup. It replaces the old index rather than adding one, so an import
 * maintains the same number of indexes; every query that used the old one still can (same
 * leading columns, same name).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.dropIndex('purchases_customer').ifExists().execute()
    await trx.schema
      .createIndex('purchases_customer')
      .on('purchases')
      .columns(['customer_id', 'purchased_at', 'amount_cents', 'currency', 'order_id', 'product'])
      .execute()
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.schema.dropIndex('purchases_customer').ifExists().execute()
    await trx.schema.createIndex('purchases_customer').on('purchases').columns(['customer_id', 'purchased_at']).execute()
  })
}
