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

/**
 * The merge tests' database: Robert Nguyễn (1, the oldest record), then Bob and Rob Nguyen
 * (2, 3), the same person entered later, among ten strangers, with purchases, a contact, an
 * NPS answer and tags to move. `fixedStamps` writes 'x' for the activity rows' created_at and
 * updated_at instead of the clock, so two databases filled at different moments compare equal.
 */
export async function seedMergeFamily(dbPath: string, options: { fixedStamps?: boolean } = {}): Promise<void> {
  await seedCustomers(dbPath, [
    { first_name: 'Robert', last_name: 'Nguyễn', email: 'rob@example.com', phone: '+49 30 1234567', birth_date: '1980-03-07',
      street: '12 Main St', city: 'Berlin', postal_code: '10115', created_at: '2023-01-01T09:00:00.000Z', updated_at: '2023-01-01T09:00:00.000Z',
      extra: '{"loyalty":"gold"}' },
    { first_name: 'Bob', last_name: 'Nguyen', email: 'bob.nguyen@example.com', phone: '030 1234567', birth_date: null,
      street: '12 Main Street', city: 'Berlin', postal_code: '10115', created_at: '2024-05-01T09:00:00.000Z', updated_at: '2024-06-01T09:00:00.000Z',
      consent_email: 'refused' },
    { first_name: 'Rob', last_name: 'Nguyen', email: 'Bob.Nguyen@example.com', phone: '+49 170 5550000', birth_date: '1980-03-07',
      street: null, city: null, postal_code: null, created_at: '2024-01-01T09:00:00.000Z', updated_at: '2024-01-02T09:00:00.000Z' },
    ...strangers(),
  ])
  const cols = options.fixedStamps ? ', created_at, updated_at' : ''
  const x = options.fixedStamps ? ", 'x', 'x'" : ''
  await execDb(
    dbPath,
    `insert into purchases (customer_id, purchased_at, product, amount_cents, currency${cols}) values
       (1, '2024-01-05T10:00:00Z', 'tea', 450, 'EUR'${x}), (2, '2024-05-05T10:00:00Z', 'cup', 1200, 'EUR'${x}),
       (3, '2024-02-05T10:00:00Z', 'pot', 3000, 'EUR'${x}), (4, '2024-02-06T10:00:00Z', 'tea', 450, 'EUR'${x});
     insert into interactions (customer_id, occurred_at, channel, kind, note${cols}) values (2, '2024-05-06T10:00:00Z', 'phone', 'question', 'asked about cups'${x});
     insert into nps_answers (customer_id, score, answered_at${cols}) values (3, 9, '2024-03-01T10:00:00Z'${x});
     insert into tags (name${cols}) values ('vip'${x}), ('wholesale'${x});
     insert into customer_tags (customer_id, tag_id, created_at, updated_at) values (1, 1, '2023-02-01T00:00:00.000Z', '2023-02-01T00:00:00.000Z'),
       (2, 1, '2024-05-02T00:00:00.000Z', '2024-05-02T00:00:00.000Z'), (3, 2, '2024-01-03T00:00:00.000Z', '2024-01-03T00:00:00.000Z');`,
  )
}

/** The same person entered twice (one street written "Street", once "St"): one review group. */
export function reviewTwin(first: string, last: string, email: string, phone: string): PersonRow[] {
  const at = '2024-01-01T00:00:00.000Z'
  return [
    { first_name: first, last_name: last, email, phone, birth_date: '1975-04-03', street: '9 Elm Street', city: 'York', created_at: at, updated_at: at },
    { first_name: first, last_name: last, email, phone, birth_date: '1975-04-03', street: '9 Elm St', city: 'York', created_at: at, updated_at: at },
  ]
}
