import type pg from 'pg'
import { redactUrl } from '../db/dbErrors.js'
import { CrmError, UsageError } from '../errors.js'

/** A PostgreSQL URL taken apart: the password travels in PGPASSWORD, never in argv. */
export interface PgTarget {
  /** The URL as given (with its password): for node-pg only. */
  url: string
  /** The URL without the password: for pg_dump/pg_restore's --dbname. */
  urlNoPassword: string
  /** Safe to print. */
  shown: string
  password: string | undefined
  /** The host the URL names (hostname or ?host=), if it names one. */
  explicitHost: string | undefined
  host: string
  port: string
  database: string
}

export function parsePgTarget(url: string): PgTarget {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    throw new UsageError(`${redactUrl(url)}: not a valid PostgreSQL URL`)
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''))
  if (!database) throw new UsageError(`${redactUrl(url)}: the URL names no database (postgres://user@host:port/DBNAME)`)
  const password = u.password ? decodeURIComponent(u.password) : undefined
  const bare = new URL(url)
  bare.password = ''
  // A host given as ?host=/run/postgresql (a Unix socket) leaves hostname empty.
  const explicitHost = u.hostname || u.searchParams.get('host') || undefined
  return { url, urlNoPassword: bare.toString(), shown: redactUrl(url), password, explicitHost, host: explicitHost ?? 'localhost', port: u.port || '5432', database }
}

/** The same server and credentials, another database. */
export function withDatabase(target: PgTarget, database: string): PgTarget {
  const u = new URL(target.url)
  u.pathname = `/${encodeURIComponent(database)}`
  return parsePgTarget(u.toString())
}

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** Opens one node-pg client on `target`, runs `fn`, closes it. */
export async function withClient<T>(target: PgTarget, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const { default: pgModule } = await import('pg')
  const client = new pgModule.Client({ connectionString: target.url })
  client.on('error', () => {})
  try {
    await client.connect()
    // Counting a large table or restoring must not meet a server's or role's statement_timeout.
    await client.query('set statement_timeout = 0')
  } catch (err) {
    throw new CrmError(`${target.shown}: cannot connect to PostgreSQL: ${(err as Error).message}`, 1, { cause: err })
  }
  try {
    return await fn(client)
  } catch (err) {
    // A server error (SQLSTATE code) where nothing else explained it: one line, no stack.
    if (!(err instanceof CrmError) && typeof (err as { code?: unknown }).code === 'string') {
      throw new CrmError(`${target.shown}: ${(err as Error).message}`, 1, { cause: err })
    }
    throw err
  } finally {
    await client.end().catch(() => {})
  }
}

/** The server's major version (15 for 15.18). */
export async function serverMajorOf(client: pg.Client): Promise<number> {
  const r = await client.query<{ v: string }>(`select current_setting('server_version_num') as v`)
  const num = Number(r.rows[0]?.v)
  if (!Number.isInteger(num)) throw new CrmError(`the server did not say its version (server_version_num ${String(r.rows[0]?.v)})`)
  return Math.floor(num / 10000)
}

/**
 * Row counts of every table in the current schema and the last applied migration, as the
 * client's transaction sees them (inside the snapshot pg_dump uses, they describe the dump).
 */
export async function describeDatabase(client: pg.Client): Promise<{ tables: Record<string, number>; schemaVersion: string | null }> {
  const names = (
    await client.query<{ name: string }>(
      `select table_name as name from information_schema.tables
       where table_schema = current_schema() and table_type = 'BASE TABLE' order by table_name`,
    )
  ).rows.map((r) => r.name)
  const tables: Record<string, number> = {}
  for (const name of names) {
    tables[name] = Number((await client.query<{ n: string }>(`select count(*) as n from ${quoteIdent(name)}`)).rows[0]!.n)
  }
  const schemaVersion = names.includes('kysely_migration')
    ? ((await client.query<{ v: string | null }>('select max(name) as v from kysely_migration')).rows[0]!.v ?? null)
    : null
  return { tables, schemaVersion }
}

/** True when a database of that name exists on the server. */
export async function databaseExists(client: pg.Client, name: string): Promise<boolean> {
  return (await client.query('select 1 from pg_database where datname = $1', [name])).rowCount === 1
}

/** How many sessions are connected to a database (other than this one). */
export async function sessionsOn(client: pg.Client, name: string): Promise<number> {
  const r = await client.query<{ n: string }>('select count(*) as n from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name])
  return Number(r.rows[0]!.n)
}

/** Drops a database if it exists, closing other sessions on it (scratch databases only). */
export async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  await client.query(`drop database if exists ${quoteIdent(name)} with (force)`)
}

/**
 * Creates an empty database like `like` (same owner, encoding, collation, tablespace,
 * connection limit, `ALTER DATABASE … SET` settings and grants) from template0, or a
 * plain one when `like` is null. pg_dump's archive holds what is inside a database;
 * these belong to the database itself, so a restore that swaps databases copies them.
 */
export async function createDatabaseLike(client: pg.Client, name: string, like: string | null): Promise<void> {
  const lit = (v: string) => `'${v.replace(/'/g, "''")}'`
  if (!like) {
    await client.query(`create database ${quoteIdent(name)} template template0`)
    return
  }
  const row = (
    await client.query<{ owner: string; enc: string; collate: string; ctype: string; space: string; connlimit: number }>(
      `select pg_get_userbyid(d.datdba) as owner, pg_encoding_to_char(d.encoding) as enc, d.datcollate as collate,
              d.datctype as ctype, t.spcname as space, d.datconnlimit as connlimit
       from pg_database d join pg_tablespace t on t.oid = d.dattablespace where d.datname = $1`,
      [like],
    )
  ).rows[0]
  if (!row) throw new CrmError(`database ${like} does not exist`)
  await client.query(
    `create database ${quoteIdent(name)} template template0 owner ${quoteIdent(row.owner)} encoding ${lit(row.enc)}` +
      ` lc_collate ${lit(row.collate)} lc_ctype ${lit(row.ctype)} connection limit ${Number(row.connlimit)}` +
      // Naming even the default tablespace needs CREATE on it, which an ordinary owner lacks.
      (row.space === 'pg_default' ? '' : ` tablespace ${quoteIdent(row.space)}`),
  )
  const settings = await client.query<{ kv: string }>(
    `select unnest(s.setconfig) as kv from pg_db_role_setting s join pg_database d on d.oid = s.setdatabase
     where d.datname = $1 and s.setrole = 0`,
    [like],
  )
  for (const { kv } of settings.rows) {
    const at = kv.indexOf('=')
    const setting = kv.slice(0, at)
    const value = kv.slice(at + 1)
    if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(setting)) continue
    // List settings are stored already quoted item by item (search_path=public, "$user").
    const listed = /^(search_path|temp_tablespaces|local_preload_libraries|session_preload_libraries)$/i.test(setting)
    await client.query(`alter database ${quoteIdent(name)} set ${setting} to ${listed ? value : lit(value)}`)
  }
  const acl = await client.query<{ custom: boolean; grantee: string | null; privilege: string | null; grantable: boolean | null }>(
    `select d.datacl is not null as custom, case when a.grantee = 0 then null else pg_get_userbyid(a.grantee) end as grantee,
            a.privilege_type as privilege, a.is_grantable as grantable
     from pg_database d left join lateral aclexplode(d.datacl) a on true where d.datname = $1`,
    [like],
  )
  if (acl.rows[0]?.custom) {
    // A null ACL means the defaults (PUBLIC may connect); a set one replaces them.
    await client.query(`revoke all on database ${quoteIdent(name)} from public`)
    for (const g of acl.rows) {
      if (!g.privilege || !/^[A-Z ]+$/.test(g.privilege)) continue
      const to = g.grantee === null ? 'public' : quoteIdent(g.grantee)
      await client.query(`grant ${g.privilege} on database ${quoteIdent(name)} to ${to}${g.grantable ? ' with grant option' : ''}`)
    }
  }
}

/** A database name with a suffix, kept within PostgreSQL's 63-byte limit. */
export function derivedName(base: string, suffix: string): string {
  let head = base
  while (Buffer.byteLength(head + suffix) > 63) head = head.slice(0, -1)
  return head + suffix
}
