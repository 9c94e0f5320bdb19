import type { Kysely } from 'kysely'
import type { Database } from '../../src/db/schema.js'
import { addCustomers, addPurchases } from './customerData.js'

/**
 * The small shop the report tests check by hand, on either database: five customers,
 * Ann and Ben from Google, Cat and Eve from a flyer, Dan refused every channel; eight
 * purchase lines in 2026. `withNps` adds four answers (Ann 10, Ben 3 then 9, Eve 8).
 */
export async function seedReportShop(db: Kysely<Database>, options: { withNps?: boolean } = {}): Promise<void> {
  const [ann, ben, cat, dan, eve] = await addCustomers(db, [
    { first_name: 'Ann', last_name: 'Lee', source: 'Google', birth_date: '1990-01-02', email: 'ann@example.com', phone: '+1 212 555 0101', city: 'Boston' },
    { first_name: 'Ben', last_name: 'Ode', source: 'google', birth_date: '1980-12-31', email: 'ben@example.com', consent_email: 'refused' },
    { first_name: 'Cat', last_name: 'Roy', source: 'Flyer', birth_date: '--01-05', email: '=cat@example.com' },
    { first_name: 'Dan', last_name: 'Fox', birth_date: '1970-01-01', consent_email: 'refused', consent_mail: 'refused', consent_sms: 'refused', consent_phone: 'refused' },
    { first_name: 'Eve', last_name: 'Kim', source: 'Flyer', birth_date: '1999-06-01' },
  ])
  await addPurchases(db, [
    { customer_id: ann!, purchased_at: '2026-01-10T10:00:00.000Z', amount_cents: 1000, order_id: 'A1', line: 1, product: 'Bread', category: 'Bakery' },
    { customer_id: ann!, purchased_at: '2026-01-10T10:00:00.000Z', amount_cents: 300, order_id: 'A1', line: 2, product: 'Butter', category: 'Dairy' },
    { customer_id: ann!, purchased_at: '2026-12-01T10:00:00.000Z', amount_cents: 200, order_id: 'A2', line: 1, product: 'Jam', category: 'Pantry' },
    { customer_id: ben!, purchased_at: '2026-02-01T10:00:00.000Z', amount_cents: 5000, order_id: 'B1', line: 1, product: 'Bread', category: 'Bakery' },
    { customer_id: ben!, purchased_at: '2026-03-01T10:00:00.000Z', amount_cents: 400, order_id: 'B2', line: 1, product: 'Butter', category: 'Dairy' },
    { customer_id: cat!, purchased_at: '2026-03-01T10:00:00.000Z', amount_cents: 700, order_id: 'C1', line: 1, product: 'Jam', category: 'Pantry' },
    { customer_id: cat!, purchased_at: '2026-03-01T10:00:00.000Z', amount_cents: 100, order_id: 'C1', line: 2, product: 'Bread', category: 'Bakery' },
    { customer_id: dan!, purchased_at: '2026-01-05T10:00:00.000Z', amount_cents: 9000, order_id: 'D1', line: 1, product: 'Butter', category: 'Dairy' },
  ])
  if (options.withNps) {
    await db.insertInto('nps_answers').values([
      { customer_id: ann!, score: 10, answered_at: '2026-05-01T00:00:00.000Z' },
      { customer_id: ben!, score: 3, answered_at: '2026-05-01T00:00:00.000Z' },
      { customer_id: ben!, score: 9, answered_at: '2026-06-01T00:00:00.000Z' },
      { customer_id: eve!, score: 8, answered_at: '2026-06-01T00:00:00.000Z' },
    ]).execute()
  }
  void cat
  void dan
}
