import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { openSqliteDb } from '../../src/db/openDb.js'

test('migration 0006: purchases_customer covers the per-customer totals, and the reports read it without a sort', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'crm-0006-'))
  const crm = await openSqliteDb(join(dir, 'crm.db'))
  try {
    const columns = crm.sqlite.prepare(`select name from pragma_index_info('purchases_customer') order by seqno`).pluck().all()
    expect(columns).toEqual(['customer_id', 'purchased_at', 'amount_cents', 'currency', 'order_id', 'product'])
    const plan = crm.sqlite
      .prepare(`explain query plan select customer_id, max(purchased_at), sum(amount_cents), group_concat(product, char(30)) from purchases group by customer_id`)
      .all() as Array<{ detail: string }>
    expect(plan.map((p) => p.detail)).toEqual(['SCAN purchases USING COVERING INDEX purchases_customer'])
  } finally {
    await crm.close()
    rmSync(dir, { recursive: true, force: true })
  }
})
