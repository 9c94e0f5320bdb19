import { createHash } from 'node:crypto'
import { sql, type Kysely } from 'kysely'
import { CrmError } from '../errors.js'
import { insertRows, refreshStatistics, resetIdentity, takeWriterLock } from './dialect.js'
import { openDb, type CrmDb } from './openDb.js'

export interface TableCopy {
  table: string
  rows: number
  /** sha256 of every row's values in key order, the same on both sides. */
  checksum: string
}

export interface CopySummary {
  from: string
  to: string
  tables: TableCopy[]
  seconds: number
}

/** Parents before children, so foreign keys hold at every insert. */
const ORDER = ['customers', 'custom_fields', 'customer_field_values', 'tags', 'customer_tags', 'purchases', 'interactions', 'nps_answers', 'audit', 'segments', 'settings', 'suppressions', 'merges', 'distinct_pairs']
const CHUNK = 5000

interface TableShape {
  name: string
  columns: string[]
  /** Columns that order the rows (the primary key). */
  key: string[]
}

async function tableShapes(db: Kysely<any>): Promise<TableShape[]> {
  // customer_search and its shadow tables (SQLite's search index, migration 0008) and
  // customer_totals (SQLite's per-customer totals, migration 0010) are not data: each
  // database keeps its own from the copied rows (triggers on SQLite, pg_trgm).
  const derived = (name: string) => name.startsWith('customer_search') || name === 'customer_totals'
  const tables = (await db.introspection.getTables()).filter(
    (t) => !t.isView && !t.name.startsWith('kysely_') && !t.name.startsWith('sqlite_') && !derived(t.name),
  )
  const shapes = tables.map((t) => {
    const columns = t.columns.map((c) => c.name)
    const key = columns.includes('id') ? ['id'] : t.name === 'settings' ? ['key'] : columns.filter((c) => !['created_at', 'updated_at'].includes(c))
    return { name: t.name, columns, key }
  })
  const rank = (n: string) => (ORDER.includes(n) ? ORDER.indexOf(n) : ORDER.length)
  return shapes.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name))
}

/** Every row of a table in key order, a chunk at a time (keyset paging on `id`). */
async function* readTable(db: Kysely<any>, t: TableShape): AsyncGenerator<unknown[][]> {
  const cols = sql.join(t.columns.map((c) => sql.ref(c)))
  const order = sql.join(t.key.map((c) => sql.ref(c)))
  if (t.key.length === 1 && t.key[0] === 'id') {
    let last = -Infinity
    for (;;) {
      const after = Number.isFinite(last) ? sql`where id > ${last}` : sql``
      const r = await sql<Record<string, unknown>>`select ${cols} from ${sql.table(t.name)} ${after} order by id limit ${CHUNK}`.execute(db)
      if (r.rows.length === 0) return
      yield r.rows.map((row) => t.columns.map((c) => row[c]))
      last = Number(r.rows[r.rows.length - 1]!.id)
      if (r.rows.length < CHUNK) return
    }
  }
  for (let offset = 0; ; offset += CHUNK) {
    const r = await sql<Record<string, unknown>>`select ${cols} from ${sql.table(t.name)} order by ${order} limit ${CHUNK} offset ${offset}`.execute(db)
    if (r.rows.length) yield r.rows.map((row) => t.columns.map((c) => row[c]))
    if (r.rows.length < CHUNK) return
  }
}

/** Values as text (null stays null), so SQLite's and PostgreSQL's drivers hash alike. */
function hashRows(hash: ReturnType<typeof createHash>, rows: unknown[][]): void {
  for (const row of rows) hash.update(JSON.stringify(row.map((v) => (v === null || v === undefined ? null : String(v))))).update('\n')
}

async function tableChecksum(db: Kysely<any>, t: TableShape): Promise<{ rows: number; checksum: string }> {
  const hash = createHash('sha256')
  let rows = 0
  for await (const chunk of readTable(db, t)) {
    hashRows(hash, chunk)
    rows += chunk.length
  }
  return { rows, checksum: hash.digest('hex') }
}

/**
 * Copies a whole crm database (SQLite file or PostgreSQL URL) into an empty one of either
 * kind: one read transaction on the source, one write transaction on the target, then
 * row counts and per-table checksums compared before the commit. Any difference rolls back.
 */
export async function copyDatabase(from: string, to: string): Promise<CopySummary> {
  const started = performance.now()
  if (from === to) throw new CrmError('--from and --to are the same database')
  const source = await openDb(from)
  let target: CrmDb | null = null
  try {
    target = await openDb(to)
    const shapes = await tableShapes(source.db)
    const targetShapes = new Map((await tableShapes(target.db)).map((t) => [t.name, t]))
    for (const t of shapes) {
      if (!targetShapes.has(t.name)) throw new CrmError(`${target.path}: has no table ${t.name}; is it an older crm schema?`)
    }
    const read = await source.db.startTransaction().execute()
    const write = await target.db.startTransaction().execute()
    try {
      await takeWriterLock(write)
      for (const t of shapes) {
        const n = await sql<{ n: number }>`select count(*) as n from ${sql.table(t.name)}`.execute(write)
        if (Number(n.rows[0]!.n) > 0) throw new CrmError(`${target.path}: table ${t.name} is not empty; copy only into a new database`)
      }
      const tables: TableCopy[] = []
      for (const t of shapes) {
        const hash = createHash('sha256')
        let rows = 0
        for await (const chunk of readTable(read, t)) {
          await insertRows(write, t.name, t.columns, chunk)
          hashRows(hash, chunk)
          rows += chunk.length
        }
        if (t.columns.includes('id')) await resetIdentity(write, t.name)
        const copied = await tableChecksum(write, t)
        const checksum = hash.digest('hex')
        if (copied.rows !== rows || copied.checksum !== checksum) {
          throw new CrmError(`copy of ${t.name} does not verify (${rows} rows read, ${copied.rows} written, checksums differ); nothing was written`)
        }
        tables.push({ table: t.name, rows, checksum })
      }
      await write.commit().execute()
      await read.commit().execute()
      await refreshStatistics(target.db, tables.filter((t) => t.rows > 0).map((t) => t.table))
      return { from: source.path, to: target.path, tables, seconds: Math.round((performance.now() - started) / 10) / 100 }
    } catch (err) {
      if (!write.isCommitted) await write.rollback().execute()
      if (!read.isCommitted) await read.rollback().execute()
      throw err
    }
  } finally {
    await target?.close()
    await source.close()
  }
}
