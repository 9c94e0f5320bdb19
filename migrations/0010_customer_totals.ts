import { PostgresAdapter, sql, type Kysely } from 'kysely'

// Frozen in time: takes Kysely<any>, imports nothing from src/, one transaction.
// Every `crm query` row carries the customer's spend, orders and last purchase. Without a
// purchase window those are all-time totals, and computing them per row meant reaching
// each customer's stretch of purchases_customer (10 lines a customer on average): about
// 0.2 s for 16,000 rows at 10M purchases, the gap between crm and the bare floor on the
// birthday and city filters (docs/benchmarks.md, "Issue 18 point 4"). This keeps them in a
// narrow table, one page holding hundreds of customers, read with one lookup per row.
//
// SQLite only. customer_totals is WITHOUT ROWID, keyed (customer_id, currency):
//   - currency '' holds the customer's orders (distinct order ids, or the line for a line
//     without one, among lines with amount_cents >= 0: refunds are not orders) and the last
//     such purchase, over every currency; its spent_cents is 0;
//   - one row per currency the customer has lines in holds the net spend in that currency
//     (refunds subtracted); its orders is 0 and last_purchase_at null. (crm writes only
//     ISO currency codes; a line written with currency '' by hand is left out of the spend.)
// The two rows of a customer sit next to each other, so a row's totals are one page.
// Triggers keep it right whoever writes purchases (import, merge, unmerge, forget, copy):
// an insert adds to the totals in constant time (plus one probe for "is this order
// already counted"); a delete or a change recomputes the customer's rows from purchases.
//
// PostgreSQL keeps computing the totals per row: its planner's per-row cost was never
// measured as the problem, and a second copy of the data is only worth its upkeep where it is.

const isPg = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter
const inTransaction = (db: Kysely<any>, body: (trx: Kysely<any>) => Promise<void>) =>
  db.isTransaction ? body(db) : db.transaction().execute(body)

/** Recomputes the totals rows of one customer (an SQL expression such as `old.customer_id`). */
const recompute = (who: string) => `
  delete from customer_totals where customer_id = ${who};
  insert into customer_totals (customer_id, currency, spent_cents, orders, last_purchase_at)
    select customer_id, '', 0, count(distinct coalesce(order_id, '#' || id)), max(purchased_at)
    from purchases where customer_id = ${who} and amount_cents >= 0 group by customer_id;
  insert into customer_totals (customer_id, currency, spent_cents, orders, last_purchase_at)
    select customer_id, currency, sum(amount_cents), 0, null
    from purchases where customer_id = ${who} and currency <> '' group by customer_id, currency;`

export async function up(db: Kysely<any>): Promise<void> {
  if (isPg(db)) return
  await inTransaction(db, async (trx) => {
    await sql`create table customer_totals (
      customer_id integer not null,
      currency text not null,
      spent_cents integer not null,
      orders integer not null,
      last_purchase_at text,
      primary key (customer_id, currency)
    ) without rowid`.execute(trx)
    // One pass over purchases_customer, in customer order: the rows go in in key order.
    await sql`insert into customer_totals (customer_id, currency, spent_cents, orders, last_purchase_at)
      select customer_id, '', 0, count(distinct coalesce(order_id, '#' || id)), max(purchased_at)
      from purchases where amount_cents >= 0 group by customer_id
      union all
      select customer_id, currency, sum(amount_cents), 0, null from purchases where currency <> '' group by customer_id, currency
      order by 1, 2`.execute(trx)
    await sql.raw(`create trigger purchases_totals_insert after insert on purchases begin
      insert into customer_totals (customer_id, currency, spent_cents, orders, last_purchase_at)
        select new.customer_id, new.currency, new.amount_cents, 0, null where new.currency <> ''
        on conflict (customer_id, currency) do update set spent_cents = spent_cents + excluded.spent_cents;
      insert into customer_totals (customer_id, currency, spent_cents, orders, last_purchase_at)
        select new.customer_id, '', 0,
          new.order_id is null or not exists (select 1 from purchases p where p.order_id = new.order_id
            and p.customer_id = new.customer_id and p.amount_cents >= 0 and p.id <> new.id),
          new.purchased_at
        where new.amount_cents >= 0
        on conflict (customer_id, currency) do update set orders = orders + excluded.orders,
          last_purchase_at = max(coalesce(last_purchase_at, ''), excluded.last_purchase_at);
      end`).execute(trx)
    await sql.raw(`create trigger purchases_totals_delete after delete on purchases begin ${recompute('old.customer_id')} end`).execute(trx)
    await sql.raw(`create trigger purchases_totals_update
      after update of id, customer_id, purchased_at, amount_cents, currency, order_id on purchases begin
      ${recompute('old.customer_id')}
      ${recompute('new.customer_id')}
      end`).execute(trx)
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPg(db)) return
  await inTransaction(db, async (trx) => {
    for (const t of ['insert', 'delete', 'update']) await sql.raw(`drop trigger if exists purchases_totals_${t}`).execute(trx)
    await sql`drop table if exists customer_totals`.execute(trx)
  })
}
