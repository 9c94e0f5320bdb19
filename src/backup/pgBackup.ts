import { chmodSync, createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { now } from '../clock.js'
import { CrmError } from '../errors.js'
import { ensurePrivateDir } from './createBackup.js'
import { encryptStage } from './crypto.js'
import { commitBackup, commonManifestFields, discardBackup } from './commitBackup.js'
import { sha256File } from './extract.js'
import { measure } from './measure.js'
import { lockWait, withBackupLock } from './lock.js'
import { newBackupId, type Manifest } from './manifest.js'
import { listArchive } from './pgArchive.js'
import { pgBackupDir } from './pgBackupDir.js'
import { describeDatabase, parsePgTarget, serverMajorOf, withClient } from './pgServer.js'
import { assertToolCanServe, findPgTool, runPgTool, toolMajor } from './pgTools.js'

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
        // This session waits idle in its transaction while pg_dump works: a server-wide
        // idle_in_transaction_session_timeout must not end it.
        await c.query('set idle_in_transaction_session_timeout = 0')
        await c.query('begin isolation level repeatable read read only')
        const snapshot = (await c.query<{ s: string }>('select pg_export_snapshot() as s')).rows[0]!.s
        const described = await describeDatabase(c)
        await runPgTool(pgDump, ['--format=custom', `--compress=${PG_DUMP_COMPRESSION}`, `--snapshot=${snapshot}`, `--file=${dumpPath}`, `--dbname=${target.urlNoPassword}`], {
          password: target.password,
          host: target.explicitHost,
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
        const plain = measure()
        const stored = measure()
        await pipeline(
          createReadStream(dumpPath, { highWaterMark: 1 << 20 }),
          plain.stage,
          await encryptStage(options.passphrase),
          stored.stage,
          createWriteStream(partPath, { mode: 0o600 }),
        )
        dbSha256 = plain.sha256()
        sha256 = stored.sha256()
        fileBytes = stored.bytes()
      } else {
        renameSync(dumpPath, partPath)
        dbSha256 = sha256 = await sha256File(partPath)
        fileBytes = dbBytes
      }
      return commitBackup(dir, partPath, finalPath, {
        ...commonManifestFields(id, at, options),
        engine: 'postgres',
        source: target.shown,
        schemaVersion: info.schemaVersion,
        tables: info.tables,
        file,
        fileBytes,
        sha256,
        dbBytes,
        dbSha256,
        compression: 'pg_dump',
      })
    } catch (err) {
      discardBackup(dir, id, partPath, finalPath)
      throw err
    } finally {
      rmSync(dumpPath, { force: true })
    }
  }, lockWait(options.kind))
}
