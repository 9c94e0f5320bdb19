import type BetterSqlite3 from 'better-sqlite3'

/**
 * Bulk purchase imports and customer_totals (migration 0010). A trigger adds each new
 * purchase line to its customer's totals, which costs an import about three times its
 * own insert (1M lines: 17.7 s without the trigger, 63–83 s with it; docs/benchmarks.md),
 * mostly in the statement journal every trigger-firing insert writes. So an import,
 * inside its own write transaction:
 *
 *   const deferred = deferCustomerTotals(sqlite)   // after BEGIN IMMEDIATE
 *   … insert purchases …
 *   catchUpCustomerTotals(sqlite, deferred)        // before COMMIT
 *
 * Only the insert trigger is set aside. Updates and deletes still recompute a customer's
 * totals from purchases, which is right whatever was inserted before them; the catch-up
 * then recomputes every customer who got a new line (ids are AUTOINCREMENT, so every new
 * line has an id above the largest one before) in one pass, and puts the trigger back as
 * it was. It is all in the writer's transaction: a rollback undoes it and no other
 * connection ever sees the trigger missing or the totals behind.
 */
export interface DeferredTotals {
  /** Every purchase line with a larger id was inserted since the deferral. */
  after: number
  /** The insert trigger's original CREATE statement. */
  trigger: string
}

const TRIGGER = 'purchases_totals_insert'

export function deferCustomerTotals(sqlite: BetterSqlite3.Database): DeferredTotals | null {
  if (!sqlite.inTransaction) throw new Error('deferCustomerTotals needs the write transaction open')
  const trigger = sqlite.prepare(`select sql from sqlite_master where type = 'trigger' and name = ?`).pluck().get(TRIGGER) as string | undefined
  if (trigger === undefined) return null // a database before migration 0010
  const after = sqlite.prepare('select coalesce(max(id), 0) from purchases').pluck().get() as number
  sqlite.exec(`drop trigger ${TRIGGER}`)
  return { after, trigger }
}

export function catchUpCustomerTotals(sqlite: BetterSqlite3.Database, deferred: DeferredTotals | null): void {
  if (deferred === null) return
  sqlite.exec('create temp table customer_totals_touched (customer_id integer primary key)')
  const touched = sqlite
    .prepare('insert or ignore into temp.customer_totals_touched (customer_id) select customer_id from purchases where id > ?')
    .run(deferred.after).changes
  if (touched > 0) {
    const who = 'customer_id in (select customer_id from temp.customer_totals_touched)'
    sqlite.exec(`delete from customer_totals where ${who}`)
    // The same totals as the migration's, for these customers only (an all-time row and one per currency).
    sqlite.exec(`insert into customer_totals (customer_id, currency, spent_cents, orders, last_purchase_at)
      select customer_id, '', 0, count(distinct coalesce(order_id, '#' || id)), max(purchased_at)
      from purchases where ${who} and amount_cents >= 0 group by customer_id
      union all
      select customer_id, currency, sum(amount_cents), 0, null from purchases where ${who} and currency <> '' group by customer_id, currency
      order by 1, 2`)
  }
  sqlite.exec('drop table temp.customer_totals_touched')
  sqlite.exec(deferred.trigger)
}
