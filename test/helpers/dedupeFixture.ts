import { customerKeys } from '../../src/customers/customerKeys.js'
import { openSqliteDb } from '../../src/db/openDb.js'

export interface PersonRow {
  first_name: string
  last_name: string
  email?: string | null
  phone?: string | null
  birth_date?: string | null
  street?: string | null
  city?: string | null
  postal_code?: string | null
  created_at: string
  updated_at: string
  extra?: string | null
  consent_email?: string
}

/** Creates a database with these customers (ids 1…n) and returns nothing; arrange only. */
export async function seedCustomers(dbPath: string, people: PersonRow[]): Promise<void> {
  const crm = await openSqliteDb(dbPath)
  try {
    const insert = crm.sqlite.prepare(
      `insert into customers (first_name, last_name, email, email_norm, phone, birth_date, street, city, postal_code, extra, consent_email, created_at, updated_at, city_key, search_key)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    for (const p of people) {
      const keys = customerKeys(p)
      insert.run(
        p.first_name, p.last_name, p.email ?? null, p.email?.toLowerCase() ?? null, p.phone ?? null, p.birth_date ?? null,
        p.street ?? null, p.city ?? null, p.postal_code ?? null, p.extra ?? null, p.consent_email ?? 'unknown', p.created_at, p.updated_at,
        keys.city_key, keys.search_key,
      )
    }
  } finally {
    await crm.close()
  }
}

/** Runs raw statements against the database (arranging purchases, tags, …). */
export async function execDb(dbPath: string, statements: string): Promise<void> {
  const crm = await openSqliteDb(dbPath)
  try {
    crm.sqlite.exec(statements)
  } finally {
    await crm.close()
  }
}

/** Ten ordinary, different people to surround the duplicates with. */
export function strangers(): PersonRow[] {
  const names = [
    ['Anna', 'Schulz'], ['Ben', 'Okafor'], ['Carla', 'Rossi'], ['Dmitri', 'Ivanov'], ['Elena', 'Moreau'],
    ['Felix', 'Lindqvist'], ['Greta', 'Tanaka'], ['Hugo', 'Silva'], ['Ines', 'Kowalski'], ['Jonas', 'Haddad'],
  ]
  return names.map(([first, last], i) => ({
    first_name: first!,
    last_name: last!,
    email: `${first!.toLowerCase()}@example.org`,
    phone: `+49301234${String(500 + i * 17)}`,
    birth_date: `19${60 + i * 3}-0${1 + (i % 9)}-1${i % 9}`,
    street: `${10 + i} ${['Oak Lane', 'Birch Road', 'Mill Close'][i % 3]}`,
    city: ['Berlin', 'Hamburg', 'Köln'][i % 3]!,
    postal_code: String(10115 + i * 101),
    created_at: `2024-02-0${1 + (i % 9)}T10:00:00.000Z`,
    updated_at: `2024-02-0${1 + (i % 9)}T10:00:00.000Z`,
  }))
}
