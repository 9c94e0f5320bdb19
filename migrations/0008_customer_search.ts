import { PostgresAdapter, sql, type Kysely } from 'kysely'

// Frozen in time: takes Kysely<any>, imports nothing from src/, one transaction.
// `crm query --search` read every customer's search_key with LIKE '%x%' (0.4 s at 1M
// customers). This makes it an index lookup over the text a person types into a search
// box: the folded name/email/company/phone digits (search_key), the folded city
// (city_key), and street, postal code and notes as written.
//
// SQLite: an FTS5 table with the trigram tokenizer (any substring of 3+ characters, so
// parts of words and phone digits match), case-insensitive. Not `remove_diacritics`: that
// needs SQLite 3.45, and a table the sqlite3 shell of Debian 12 (3.40) cannot open would
// break every script that writes customers with it. Accents are handled by indexing the
// folded search_key and city_key; street and notes match as written, in any case.
// External content (content='customers'): it stores only the index, not a second copy of
// the text. Triggers keep it right whoever writes customers (import's prepared
// statements, add, edit, merge, unmerge, forget, copy): no writer has to remember it.
// secure-delete: a deleted or changed row's old terms are removed from the index at once
// instead of waiting for a segment merge, so erased text (crm forget) leaves no trace.
//
// PostgreSQL: a pg_trgm GIN index over the same text (lower-cased) joined in one
// expression; the query's LIKE uses exactly this expression. Without pg_trgm on the
// server (it ships with PostgreSQL's contrib package, trusted since PostgreSQL 13)
// the index is skipped and the same LIKE scans the table: slower, still right.

const isPg = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter

const COLUMNS = ['search_key', 'city_key', 'street', 'postal_code', 'notes'] as const
const cols = COLUMNS.join(', ')
const newValues = COLUMNS.map((c) => `new.${c}`).join(', ')
const oldValues = COLUMNS.map((c) => `old.${c}`).join(', ')

/** The PostgreSQL index expression; src/query/customerFilter.ts matches it character for character. */
const PG_SEARCH_TEXT = `(coalesce(search_key, '') || ' ' || coalesce(city_key, '') || ' ' || lower(coalesce(street, '')) || ' ' || lower(coalesce(postal_code, '')) || ' ' || lower(coalesce(notes, '')))`

export async function up(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (isPg(trx)) {
      const available = await sql<{ n: number }>`select count(*) as n from pg_available_extensions where name = 'pg_trgm'`.execute(trx)
      if (Number(available.rows[0]?.n) === 0) return
      await sql`create extension if not exists pg_trgm`.execute(trx)
      await sql.raw(`create index customers_search on customers using gin (${PG_SEARCH_TEXT} gin_trgm_ops)`).execute(trx)
      return
    }
    await sql.raw(`create virtual table customer_search using fts5(${cols}, content='customers', content_rowid='id',
      tokenize='trigram')`).execute(trx)
    await sql.raw(`insert into customer_search(customer_search, rank) values ('secure-delete', 1)`).execute(trx)
    await sql.raw(`insert into customer_search(customer_search) values ('rebuild')`).execute(trx)
    // The few erased customers, so `--search X --count` counts the index's hits minus these
    // instead of reading every hit's row to check forgotten_at (30,000 rows for "nguyen").
    await sql`create index customers_forgotten on customers (id) where forgotten_at is not null`.execute(trx)
    await sql.raw(`create trigger customers_search_insert after insert on customers begin
      insert into customer_search(rowid, ${cols}) values (new.id, ${newValues}); end`).execute(trx)
    await sql.raw(`create trigger customers_search_delete after delete on customers begin
      insert into customer_search(customer_search, rowid, ${cols}) values ('delete', old.id, ${oldValues}); end`).execute(trx)
    await sql.raw(`create trigger customers_search_update after update of id, ${cols} on customers begin
      insert into customer_search(customer_search, rowid, ${cols}) values ('delete', old.id, ${oldValues});
      insert into customer_search(rowid, ${cols}) values (new.id, ${newValues}); end`).execute(trx)
  })
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (isPg(trx)) {
      await sql`drop index if exists customers_search`.execute(trx)
      return
    }
    for (const t of ['insert', 'delete', 'update']) await sql.raw(`drop trigger if exists customers_search_${t}`).execute(trx)
    await sql`drop index if exists customers_forgotten`.execute(trx)
    await sql`drop table if exists customer_search`.execute(trx)
  })
}
