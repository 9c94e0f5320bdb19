import { createHmac, randomBytes } from 'node:crypto'
import type BetterSqlite3 from 'better-sqlite3'
import type { Kysely } from 'kysely'
import type { Database } from '../db/schema.js'

/**
 * The keyed hash an erased person's email (normalised) or phone (E.164) leaves on the
 * suppression list. Keyed with a secret kept in the database, so the list alone
 * cannot be reversed by hashing a phone book.
 */
export function suppressionHash(secret: string, kind: 'email' | 'phone', value: string): string {
  return createHmac('sha256', secret).update(`${kind}:${value}`).digest('hex')
}

/** The database's erasure secret, created on first use. */
export function erasureSecret(sqlite: BetterSqlite3.Database): string {
  const found = sqlite.prepare("select value from settings where key = 'erasure_secret'").pluck().get() as string | undefined
  if (found) return found
  const secret = randomBytes(32).toString('hex')
  sqlite.prepare("insert into settings (key, value) values ('erasure_secret', ?)").run(secret)
  return secret
}

/** The same through Kysely, on either dialect (inside the caller's write transaction). */
export async function erasureSecretOf(db: Kysely<Database>): Promise<string> {
  const found = await db.selectFrom('settings').select('value').where('key', '=', 'erasure_secret').executeTakeFirst()
  if (found) return found.value
  const secret = randomBytes(32).toString('hex')
  await db.insertInto('settings').values({ key: 'erasure_secret', value: secret }).execute()
  return secret
}

/** Whether this email (normalised) or phone (E.164) belongs to an erased person: one person, one query. */
export async function isSuppressed(db: Kysely<Database>, email: string | null, phoneE164: string | null): Promise<boolean> {
  if (email == null && phoneE164 == null) return false
  const secret = await db.selectFrom('settings').select('value').where('key', '=', 'erasure_secret').executeTakeFirst()
  if (!secret) return false
  const wanted = [
    ...(email != null ? [{ kind: 'email' as const, hash: suppressionHash(secret.value, 'email', email) }] : []),
    ...(phoneE164 != null ? [{ kind: 'phone' as const, hash: suppressionHash(secret.value, 'phone', phoneE164) }] : []),
  ]
  const hit = await db
    .selectFrom('suppressions')
    .select('id')
    .where((eb) => eb.or(wanted.map((w) => eb.and([eb('kind', '=', w.kind), eb('hash', '=', w.hash)]))))
    .executeTakeFirst()
  return hit !== undefined
}

/** A fast check for the importer: null when nobody was ever erased. */
export function suppressionChecker(sqlite: BetterSqlite3.Database): ((email: string | null, phoneE164: string | null) => boolean) | null {
  const count = sqlite.prepare('select count(*) from suppressions').pluck().get() as number
  if (count === 0) return null
  const secret = erasureSecret(sqlite)
  const find = sqlite.prepare('select 1 from suppressions where kind = ? and hash = ?')
  return (email, phone) =>
    (email != null && find.get('email', suppressionHash(secret, 'email', email)) !== undefined) ||
    (phone != null && find.get('phone', suppressionHash(secret, 'phone', phone)) !== undefined)
}

/**
 * The importer's check on PostgreSQL: the whole suppression list in memory (one hash per
 * erased contact, small), so a batch needs no round trip per row. Null when nobody was erased.
 */
export async function loadSuppressionChecker(
  db: Kysely<Database>,
): Promise<((email: string | null, phoneE164: string | null) => boolean) | null> {
  const rows = await db.selectFrom('suppressions').select(['kind', 'hash']).execute()
  if (rows.length === 0) return null
  const secret = await db.selectFrom('settings').select('value').where('key', '=', 'erasure_secret').executeTakeFirst()
  if (!secret) return null
  const hashes = new Set(rows.map((r) => `${r.kind}:${r.hash}`))
  return (email, phone) =>
    (email != null && hashes.has(`email:${suppressionHash(secret.value, 'email', email)}`)) ||
    (phone != null && hashes.has(`phone:${suppressionHash(secret.value, 'phone', phone)}`))
}
