import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import { streamRows } from '../db/dialect.js'
import type { Database } from '../db/schema.js'
import type { MatchInput } from './prepareRecord.js'

export interface LoadOptions {
  /** Only these customers (the shared filter's result); all when absent. */
  ids?: readonly number[]
  /** Keys of the `extra` JSON compared as identifiers. */
  extraIdNames?: readonly string[]
}

/**
 * Reads the fields matching uses for every customer not erased, as raw arrays through
 * one prepared statement (a million rows in a few seconds).
 */
export function loadMatchInputs(sqlite: BetterSqlite3.Database, options: LoadOptions = {}): MatchInput[] {
  return [...iterateMatchInputs(sqlite, options)]
}

/** The same, one row at a time: a million customers never sit in memory as raw rows. */
export function* iterateMatchInputs(sqlite: BetterSqlite3.Database, options: LoadOptions = {}): Generator<MatchInput> {
  const extraNames = options.extraIdNames ?? []
  const stmt = sqlite
    .prepare(
      `select id, first_name, last_name, email, phone, phone_e164, birth_date, street, city, region, postal_code, extra
       from customers where forgotten_at is null order by id`,
    )
    .raw()
  const wanted = options.ids ? new Set(options.ids) : null
  for (const row of stmt.iterate() as Iterable<unknown[]>) {
    const id = row[0] as number
    if (wanted && !wanted.has(id)) continue
    yield toInput(row, extraNames)
  }
}

/** Customers by id, for showing the original spelling in explanations. */
export function matchInputsById(sqlite: BetterSqlite3.Database, ids: readonly number[], extraNames: readonly string[] = []): Map<number, MatchInput> {
  const stmt = sqlite
    .prepare(`select id, first_name, last_name, email, phone, phone_e164, birth_date, street, city, region, postal_code, extra from customers where id = ?`)
    .raw()
  const out = new Map<number, MatchInput>()
  for (const id of ids) {
    const row = stmt.get(id) as unknown[] | undefined
    if (row) out.set(id, toInput(row, extraNames))
  }
  return out
}

const MATCH_COLUMNS = ['id', 'first_name', 'last_name', 'email', 'phone', 'phone_e164', 'birth_date', 'street', 'city', 'region', 'postal_code', 'extra'] as const

/**
 * The same through Kysely, for PostgreSQL (a server-side cursor, a chunk at a time). The
 * SQLite path keeps its one prepared statement: it is the faster of the two there.
 */
export async function loadMatchInputsFrom(db: Kysely<Database>, options: LoadOptions = {}): Promise<MatchInput[]> {
  const extraNames = options.extraIdNames ?? []
  const wanted = options.ids ? new Set(options.ids) : null
  const query = db.selectFrom('customers').select(MATCH_COLUMNS).where('forgotten_at', 'is', null).orderBy('id')
  const out: MatchInput[] = []
  for await (const row of streamRows(db, query, 5000)) {
    if (wanted && !wanted.has(row.id)) continue
    out.push(toInput(MATCH_COLUMNS.map((c) => row[c]), extraNames))
  }
  return out
}

function toInput(row: unknown[], extraNames: readonly string[]): MatchInput {
    const id = row[0] as number
    const input: MatchInput = {
      id,
      first_name: row[1] as string | null,
      last_name: row[2] as string | null,
      email: row[3] as string | null,
      phone: row[4] as string | null,
      phone_e164: row[5] as string | null,
      birth_date: row[6] as string | null,
      street: row[7] as string | null,
      city: row[8] as string | null,
      region: row[9] as string | null,
      postal_code: row[10] as string | null,
    }
    if (extraNames.length) input.extraIds = extraValues(row[11] as string | null, extraNames)
    return input
}

function extraValues(extra: string | null, names: readonly string[]): Array<string | null> {
  if (!extra) return names.map(() => null)
  let parsed: Record<string, unknown>
  try {
    parsed = JSON.parse(extra) as Record<string, unknown>
  } catch {
    return names.map(() => null)
  }
  return names.map((n) => (parsed[n] == null ? null : String(parsed[n])))
}
