import { existsSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { CrmError } from '../errors.js'
import { extractBackup, sha256File } from './extract.js'
import type { Manifest } from './manifest.js'
import { serverMajorOf, withClient, withDatabase, type PgTarget } from './pgServer.js'
import { assertToolCanServe, findPgTool, NO_CONNECTION, runPgTool, toolMajor } from './pgTools.js'

// What backup, verify and restore of a PostgreSQL archive share: reading it, checking it,
// restoring it, and the database to stand on while making and dropping others.

/** Reads an archive's table of contents: a cut or garbled archive fails here. */
export async function listArchive(pgRestore: string, archive: string, label: string): Promise<void> {
  await runPgTool(pgRestore, ['--list', archive], { what: `${label}: pg_restore --list`, host: NO_CONNECTION })
}

/**
 * Gives `fn` a plain archive file whose bytes match the manifest: the stored file itself
 * after its SHA-256 is checked, or for an encrypted backup a decrypted temporary copy in
 * the backup folder (removed afterwards).
 */
export async function withArchive<T>(dir: string, manifest: Manifest, passphrase: string | undefined, fn: (archive: string) => Promise<T>): Promise<T> {
  const label = `backup ${manifest.id}`
  if (manifest.encryption) {
    const temp = join(dir, `.${manifest.id}.archive.tmp`)
    try {
      // Read once by pg_restore, then deleted: no fsync needed.
      await extractBackup(dir, manifest, temp, passphrase, { durable: false })
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
export async function restoreArchive(pgRestore: string, archive: string, into: PgTarget, label: string, extra: string[] = []): Promise<void> {
  await runPgTool(pgRestore, ['--exit-on-error', '--single-transaction', ...extra, `--dbname=${into.urlNoPassword}`, archive], {
    password: into.password,
    host: into.explicitHost,
    what: `${label}: pg_restore into ${into.database}`,
  })
}

/** pg_restore from PATH, checked against the server's major version. */
export async function restoreTool(server: PgTarget): Promise<string> {
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
export async function maintenance(target: PgTarget): Promise<PgTarget> {
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
