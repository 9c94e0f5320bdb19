import { chmodSync, createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { createHash, randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { now } from '../clock.js'
import { knownMigrations } from '../db/migrate.js'
import { CrmError } from '../errors.js'
import { ensurePrivateDir } from './createBackup.js'
import { encryptStage } from './crypto.js'
import { fsyncDir, fsyncFile } from './durable.js'
import { extractBackup, sha256File } from './extract.js'
import { withBackupLock } from './lock.js'
import { newBackupId, writeManifest, type Manifest } from './manifest.js'
import { pgBackupDir } from './pgBackupDir.js'
import {
  createDatabaseLike,
  databaseExists,
  derivedName,
  sessionsOn,
  describeDatabase,
  dropDatabase,
  parsePgTarget,
  quoteIdent,
  serverMajorOf,
  withClient,
  withDatabase,
  type PgTarget,
} from './pgServer.js'
import { assertToolCanServe, findPgTool, runPgTool, toolMajor } from './pgTools.js'
import type { RestoreResult, RestoreStep } from './restore.js'
import { compareCounts } from './verify.js'

export interface PgBackupOptions {
  /** Folder for the backup; default `pgBackupDir(url)`. */
  dir?: string
  note?: string | null
  kind?: Manifest['kind']
  /** Encrypt with this passphrase (AES-256-GCM, scrypt key), as on SQLite. */
  passphrase?: string
}

/*
 * zlib level 1 inside the archive, as gzip level 1 on SQLite. Measured on a 100,000-customer,
 * 300,000-purchase database (188 MB on the server; docs/benchmarks.md, "Backups on
 * PostgreSQL"): -Z1 1.7 s for 18.5 MB, pg_dump's default (-Z6) 3.8–5.5 s for 14.9 MB,
 * -Z9 10.5 s for 14.8 MB, -Z0 0.9 s for 88.6 MB. Level 1 is 2–3× faster for 24% more bytes.
 */
const PG_DUMP_COMPRESSION = 1

/**
 * Backs up a PostgreSQL database with `pg_dump --format=custom`: an archive `pg_restore`
 * reads on any machine, compressed by pg_dump itself. The row counts in the manifest
 * are taken inside the very snapshot pg_dump dumps (a REPEATABLE READ transaction
 * exports it, counts, and stays open while `pg_dump --snapshot` runs), so they describe
 * the archive exactly even while other sessions write. The archive is written beside its
 * final name in a 0700 folder, read back with `pg_restore --list`, optionally encrypted,
 * fsynced and renamed into place; the manifest is written last, as on SQLite.
 */
export async function createPgBackup(url: string, options: PgBackupOptions = {}): Promise<Manifest & { path: string; dir: string }> {
  const target = parsePgTarget(url)
  const dir = options.dir ?? pgBackupDir(url)
  const pgDump = findPgTool('pg_dump')
  const pgRestore = findPgTool('pg_restore')
  const dumpMajor = await toolMajor(pgDump, 'pg_dump')
  // pg_dump creates its file with the process umask: private from the first byte.
  process.umask(0o077)
  ensurePrivateDir(dir)
  return withBackupLock(dir, async () => {
    const at = now()
    const id = newBackupId(dir, at)
    const dumpPath = join(dir, `.${id}.dump.tmp`)
    const file = `${id}${options.passphrase ? '.dump.enc' : '.dump'}`
    const finalPath = join(dir, file)
    const partPath = `${finalPath}.tmp`
    try {
      const info = await withClient(target, async (c) => {
        assertToolCanServe('pg_dump', dumpMajor, await serverMajorOf(c))
        await c.query('begin isolation level repeatable read read only')
        const snapshot = (await c.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0]!.s
        const described = await describeDatabase(c)
        await runPgTool(pgDump, ['--format=custom', `--compress=${PG_DUMP_COMPRESSION}`, `--snapshot=${snapshot}`, `--file=${dumpPath}`, `--dbname=${target.urlNoPassword}`], {
          password: target.password,
          what: `pg_dump of ${target.shown}`,
        })
        await c.query('commit')
        return described
      })
      if (!existsSync(dumpPath)) throw new CrmError(`pg_dump of ${target.shown} exited without writing ${dumpPath}`)
      chmodSync(dumpPath, 0o600)
      await listArchive(pgRestore, dumpPath, `the new backup of ${target.shown}`)
      const dbBytes = statSync(dumpPath).size
      let dbSha256: string
      let sha256: string
      let fileBytes: number
      if (options.passphrase) {
        const plainHash = createHash('sha256')
        const storedHash = createHash('sha256')
        fileBytes = 0
        await pipeline(
          createReadStream(dumpPath, { highWaterMark: 1 << 20 }),
          async function* hashPlain(src: AsyncIterable<Buffer>) {
            for await (const chunk of src) {
              plainHash.update(chunk)
              yield chunk
            }
          },
          await encryptStage(options.passphrase),
          async function* hashStored(src: AsyncIterable<Buffer>) {
            for await (const chunk of src) {
              storedHash.update(chunk)
              fileBytes += chunk.length
              yield chunk
            }
          },
          createWriteStream(partPath, { mode: 0o600 }),
        )
        dbSha256 = plainHash.digest('hex')
        sha256 = storedHash.digest('hex')
      } else {
        renameSync(dumpPath, partPath)
        dbSha256 = sha256 = await sha256File(partPath)
        fileBytes = dbBytes
      }
      chmodSync(partPath, 0o600)
      fsyncFile(partPath)
      renameSync(partPath, finalPath)
      fsyncDir(dir)
      const manifest: Manifest = {
        format: 1,
        id,
        createdAt: at.toISOString(),
        kind: options.kind ?? 'manual',
        engine: 'postgres',
        note: options.note ?? null,
        source: target.shown,
        schemaVersion: info.schemaVersion,
        tables: info.tables,
        file,
        fileBytes,
        sha256,
        dbBytes,
        dbSha256,
        compression: 'pg_dump',
        encryption: options.passphrase ? 'aes-256-gcm+scrypt' : null,
        quickCheck: 'ok',
        verified: null,
      }
      writeManifest(dir, manifest)
      return { ...manifest, path: finalPath, dir }
    } catch (err) {
      rmSync(partPath, { force: true })
      if (!existsSync(join(dir, `${id}.json`))) rmSync(finalPath, { force: true })
      throw err
    } finally {
      rmSync(dumpPath, { force: true })
    }
  })
}

/** Reads an archive's table of contents: a cut or garbled archive fails here. */
async function listArchive(pgRestore: string, archive: string, label: string): Promise<void> {
  await runPgTool(pgRestore, ['--list', archive], { what: `${label}: pg_restore --list` })
}

/**
 * Gives `fn` a plain archive file whose bytes match the manifest: the stored file itself
 * after its SHA-256 is checked, or for an encrypted backup a decrypted temporary copy in
 * the backup folder (removed afterwards).
 */
async function withArchive<T>(dir: string, manifest: Manifest, passphrase: string | undefined, fn: (archive: string) => Promise<T>): Promise<T> {
  const label = `backup ${manifest.id}`
  if (manifest.encryption) {
    const temp = join(dir, `.${manifest.id}.archive.tmp`)
    try {
      await extractBackup(dir, manifest, temp, passphrase)
      return await fn(temp)
    } finally {
      rmSync(temp, { force: true })
    }
  }
  const src = join(dir, manifest.file)
  if (!existsSync(src)) throw new CrmError(`${label}: the data file ${src} is missing`)
  if (statSync(src).size !== manifest.fileBytes || (await sha256File(src)) !== manifest.sha256) {
    throw new CrmError(`${label}: checksum does not match the manifest (the file was changed or damaged)`)
  }
  return fn(src)
}

/** Restores an archive into an existing empty database in one transaction: all of it or nothing. */
async function restoreArchive(pgRestore: string, archive: string, into: PgTarget, label: string, extra: string[] = []): Promise<void> {
  await runPgTool(pgRestore, ['--exit-on-error', '--single-transaction', ...extra, `--dbname=${into.urlNoPassword}`, archive], {
    password: into.password,
    what: `${label}: pg_restore into ${into.database}`,
  })
}

async function restoreTool(server: PgTarget): Promise<string> {
  const pgRestore = findPgTool('pg_restore')
  const major = await toolMajor(pgRestore, 'pg_restore')
  const serverMajor = await withClient(server, serverMajorOf)
  assertToolCanServe('pg_restore', major, serverMajor)
  return pgRestore
}

/**
 * The database to stand on while creating, dropping and renaming others: `postgres`, or
 * `template1` where that is missing or closed to this role (some hosted servers).
 */
async function maintenance(target: PgTarget): Promise<PgTarget> {
  const candidates = ['postgres', 'template1'].filter((d) => d !== target.database)
  for (const name of candidates.slice(0, -1)) {
    const t = withDatabase(target, name)
    try {
      await withClient(t, async () => {})
      return t
    } catch {
      // try the next one; the last one's error is the one reported
    }
  }
  return withDatabase(target, candidates[candidates.length - 1]!)
}

export interface PgVerifyOptions {
  passphrase?: string
  /** A database URL on the server to verify on: a scratch database is made there. */
  server: string
}

/**
 * Checks a PostgreSQL backup end to end: the stored file's SHA-256 (and decryption),
 * `pg_restore --list`, then a restore into a scratch database on the server (created,
 * restored in one transaction, every table counted against the manifest, dropped).
 * Records the outcome in the manifest like the SQLite check.
 */
export async function verifyPgBackup(dir: string, manifest: Manifest, options: PgVerifyOptions): Promise<{ id: string; ok: boolean; error: string | null }> {
  const server = parsePgTarget(options.server)
  return withBackupLock(dir, async () => {
    let error: string | null = null
    try {
      const pgRestore = await restoreTool(server)
      await withArchive(dir, manifest, options.passphrase, async (archive) => {
        const label = `backup ${manifest.id}`
        await listArchive(pgRestore, archive, label)
        const scratch = withDatabase(server, `crm_verify_${randomBytes(6).toString('hex')}`)
        const admin = await maintenance(server)
        await withClient(admin, (c) => createDatabaseLike(c, scratch.database, null)).catch((err: Error) => {
          throw new CrmError(`cannot create a scratch database on ${server.shown} to verify into (${err.message}); the role needs CREATEDB`, 1, { cause: err })
        })
        try {
          // Roles and grants may not exist on the verifying server: the data is what counts.
          await restoreArchive(pgRestore, archive, scratch, label, ['--no-owner', '--no-privileges'])
          const restored = await withClient(scratch, describeDatabase)
          error = compareCounts(manifest.tables, restored.tables)
        } finally {
          await withClient(admin, (c) => dropDatabase(c, scratch.database))
        }
      })
    } catch (err) {
      if (!(err instanceof CrmError)) throw err
      // Tools missing, a server that cannot be reached, a missing passphrase: the
      // backup is not at fault; say so without recording a failure.
      if (/is encrypted: set|not found: install|is older than the PostgreSQL|cannot connect|cannot create a scratch/.test(err.message)) throw err
      error = err.message.replace(`backup ${manifest.id}: `, '')
    }
    if (error === null || !/wrong passphrase/.test(error)) {
      writeManifest(dir, { ...manifest, verified: { at: now().toISOString(), ok: error === null, full: false, error } })
    }
    return { id: manifest.id, ok: error === null, error }
  })
}

export interface PgRestoreOptions {
  /** The live database (replaced), unless `to` is given. */
  url: string
  /** Restore into this other database instead (new, or existing and empty); the live one is not touched. */
  to?: string
  passphrase?: string
  onStep?: (step: RestoreStep) => Promise<void>
}

/**
 * Restores a PostgreSQL backup. The archive is checked (SHA-256, `pg_restore --list`)
 * and restored into a new staging database beside the live one, in one transaction,
 * and its row counts compared with the manifest. Only then is a safety backup of the
 * live database taken, and the two are swapped by renaming both databases inside one
 * transaction; the old one is dropped afterwards.
 *
 * Why a new database and a rename rather than `pg_restore --clean --single-transaction`
 * over the live one: `--clean` drops only what the archive holds, so a table made by a
 * later migration would survive beside the restored ones (a mix); the live tables would
 * be locked for the whole restore; and a failure half way must be undone by the server.
 * Here the live database is not touched until one atomic rename, so a kill or an error
 * at any moment leaves the old database or the new one, whole. PostgreSQL refuses the
 * rename while another session is connected: then nothing changes and the restore says so.
 */
export async function restorePgBackup(dir: string, manifest: Manifest, options: PgRestoreOptions): Promise<RestoreResult> {
  const live = parsePgTarget(options.to ?? options.url)
  const step = options.onStep ?? (async () => {})
  const label = `backup ${manifest.id}`
  if (manifest.schemaVersion && !knownMigrations().includes(manifest.schemaVersion)) {
    throw new CrmError(`${label} was written by a newer crm (schema ${manifest.schemaVersion}); upgrade crm to restore it`)
  }
  return withBackupLock(dir, async () => {
    const admin = await maintenance(live)
    const pgRestore = await restoreTool(admin)
    return withArchive(dir, manifest, options.passphrase, async (archive) => {
      await listArchive(pgRestore, archive, label)
      if (options.to) return restoreInto(pgRestore, archive, live, admin, manifest)

      const staging = withDatabase(live, derivedName(live.database, '_crm_restore'))
      const old = derivedName(live.database, '_crm_old')
      const liveExists = await withClient(admin, async (c) => {
        // Leftovers of a restore killed earlier: the staging copy was never live, and the
        // old database was swapped out after its safety backup was taken.
        await dropDatabase(c, staging.database)
        await dropDatabase(c, old)
        const exists = await databaseExists(c, live.database)
        // The rename at the end needs the live database to itself: say so now rather than
        // after the whole restore (the rename itself still refuses a session that comes later).
        const others = await sessionsOn(c, live.database)
        if (others > 0) throw busy(live, others)
        await createDatabaseLike(c, staging.database, exists ? live.database : null)
        return exists
      })
      try {
        await restoreArchive(pgRestore, archive, staging, label)
        const problem = compareCounts(manifest.tables, (await withClient(staging, describeDatabase)).tables)
        if (problem) throw new CrmError(`${label}: ${problem}; nothing was restored`)
        await step('extracted')
        // Into the database's default folder, as on SQLite, wherever the restored backup came from.
        const safety = liveExists ? await createPgBackup(live.url, { kind: 'safety', note: `before restore of ${manifest.id}` }) : null
        await step('locked')
        await withClient(admin, async (c) => {
          await c.query('begin')
          try {
            if (liveExists) await c.query(`alter database ${quoteIdent(live.database)} rename to ${quoteIdent(old)}`)
            await c.query(`alter database ${quoteIdent(staging.database)} rename to ${quoteIdent(live.database)}`)
            await c.query('commit')
          } catch (err) {
            await c.query('rollback').catch(() => {})
            if ((err as { code?: string }).code === '55006') throw busy(live, null, err)
            throw err
          }
        })
        await step('renamed')
        await withClient(admin, (c) => dropDatabase(c, old))
        return { target: live.shown, safety, setAside: null }
      } catch (err) {
        await withClient(admin, (c) => dropDatabase(c, staging.database)).catch(() => {})
        throw err
      }
    })
  })
}

function busy(live: PgTarget, sessions: number | null, cause?: unknown): CrmError {
  const who = sessions && sessions > 1 ? `${sessions} other sessions are` : 'another session is'
  return new CrmError(`${live.shown}: ${who} connected to the database; restore when they have finished (nothing was changed)`, 1, { cause })
}

/** `restore --to URL`: into a database that does not exist yet (created) or is empty. */
async function restoreInto(pgRestore: string, archive: string, to: PgTarget, admin: PgTarget, manifest: Manifest): Promise<RestoreResult> {
  const label = `backup ${manifest.id}`
  const created = await withClient(admin, async (c) => {
    if (!(await databaseExists(c, to.database))) {
      await createDatabaseLike(c, to.database, null)
      return true
    }
    return false
  })
  try {
    if (!created) {
      const present = Object.keys((await withClient(to, describeDatabase)).tables)
      if (present.length > 0) throw new CrmError(`${to.shown} is not empty (table ${present[0]}); restore into a new or empty database`)
    }
    await restoreArchive(pgRestore, archive, to, label)
    const problem = compareCounts(manifest.tables, (await withClient(to, describeDatabase)).tables)
    if (problem) throw new CrmError(`${label}: ${problem}; the restored copy in ${to.shown} does not match`)
    return { target: to.shown, safety: null, setAside: null }
  } catch (err) {
    if (created) await withClient(admin, (c) => dropDatabase(c, to.database)).catch(() => {})
    throw err
  }
}
