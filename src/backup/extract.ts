import { createHash } from 'node:crypto'
import { chmodSync, createReadStream, createWriteStream, existsSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import { CrmError } from '../errors.js'
import { decryptStage, plainStage } from './crypto.js'
import { fsyncFile } from './durable.js'
import type { Manifest } from './manifest.js'
import { measure } from './measure.js'

/** SHA-256 of a whole file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Unpacks a backup's data file into `dest` (mode 0600, fsynced), checking on the way
 * the stored file's SHA-256, the encryption tag, the gzip stream, and the SHA-256 and
 * size of the database (or pg_dump archive) inside against the manifest. `dest` is only trustworthy when
 * this returns; on any failure it is removed.
 * `durable: false` skips the fsync, for a file that is read once and deleted (verify): its
 * pages then never need to reach the disk at all.
 */
export async function extractBackup(
  dir: string,
  manifest: Manifest,
  dest: string,
  passphrase: string | undefined,
  options: { durable?: boolean } = {},
): Promise<void> {
  const src = join(dir, manifest.file)
  const label = `backup ${manifest.id}`
  if (!existsSync(src)) throw new CrmError(`${label}: the data file ${src} is missing`)
  if (manifest.encryption && !passphrase) {
    throw new CrmError(`${label} is encrypted: set CRM_BACKUP_PASSPHRASE or give --passphrase-file`)
  }
  const stored = measure()
  const plain = measure()
  rmSync(dest, { force: true })
  try {
    await pipeline(
      createReadStream(src, { highWaterMark: 1 << 20 }),
      stored.stage,
      manifest.encryption ? decryptStage(passphrase!, label) : plainStage,
      // A pg_dump archive is stored as pg_dump wrote it (it compresses its own data).
      // 1 MiB pieces instead of zlib's 16 KiB: gunzip of 1.2 GB took 3.7 s instead of 7.3 s.
      manifest.compression === 'gzip' ? createGunzip({ chunkSize: 1 << 20 }) : plainStage,
      plain.stage,
      createWriteStream(dest, { mode: 0o600 }),
    )
    if (stored.sha256() !== manifest.sha256) throw new CrmError(`${label}: checksum does not match the manifest (the file was changed or damaged)`)
    if (plain.bytes() !== manifest.dbBytes || plain.sha256() !== manifest.dbSha256) {
      throw new CrmError(`${label}: the database inside does not match the manifest's checksum`)
    }
    chmodSync(dest, 0o600)
    if (options.durable !== false) fsyncFile(dest)
  } catch (err) {
    rmSync(dest, { force: true })
    // A damaged file usually breaks gzip, the tag or even the key check first: name the
    // root cause. When the file is as written, the first error is the true one.
    if ((await sha256File(src)) !== manifest.sha256) {
      throw new CrmError(`${label}: checksum does not match the manifest (the file was changed or damaged)`, 1, { cause: err })
    }
    if (err instanceof CrmError) throw err
    throw new CrmError(`${label}: cannot unpack: ${(err as Error).message}`, 1, { cause: err })
  }
}
