import type { NewCustomer } from '../../src/db/schema.js'
import { openDb } from '../../src/db/openDb.js'

/** Customers in four scripts and five countries, for label tests and the docs render. */
export const MIXED_CUSTOMERS: NewCustomer[] = [
  { first_name: 'Jane', last_name: 'Roe', street: '1600 Amphitheatre Pkwy', city: 'Mountain View', region: 'CA', postal_code: '94043', country: 'US' },
  { first_name: 'José', last_name: 'Núñez', company: 'Panadería Núñez', street: '350 Fifth Avenue, Suite 4200', city: 'New York', region: 'NY', postal_code: '10118', country: 'US' },
  { first_name: 'Anna', last_name: 'Schmidt', street: 'Müllerstraße 12', city: 'Berlin', postal_code: '13353', country: 'DE' },
  { first_name: 'Иван', last_name: 'Петров', street: 'ул. Тверская, д. 7, кв. 12', city: 'Москва', postal_code: '125009', country: 'RU' },
  { first_name: 'Thị Lan', last_name: 'Nguyễn', street: '12 Lý Thường Kiệt', city: 'Hà Nội', postal_code: '100000', country: 'VN' },
  { first_name: 'مریم', last_name: 'احمدی', street: 'خیابان ولیعصر، پلاک ۱۲', city: 'تهران', region: 'تهران', postal_code: '1511943943', country: 'IR' },
]

/** Makes a crm database at `path` holding `customers`; returns nothing, closes it. */
export async function seedCustomers(path: string, customers: NewCustomer[]): Promise<void> {
  const crm = await openDb(path)
  try {
    // One row at a time: a multi-row insert would write NULL, not the default, for absent columns.
    await crm.db.transaction().execute(async (trx) => {
      for (const c of customers) await trx.insertInto('customers').values(c).execute()
    })
  } finally {
    await crm.close()
  }
}
