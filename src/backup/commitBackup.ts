import { chmodSync, existsSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fsyncDir, fsyncFile } from './durable.js'
import { writeManifest, type Manifest } from './manifest.js'

/** What every backup, SQLite or PostgreSQL, writes into its manifest the same way. */
export function commonManifestFields(
  id: string,
  at: Date,
  options: { kind?: Manifest['kind']; note?: string | null; passphrase?: string },
): Pick<Manifest, 'format' | 'id' | 'createdAt' | 'kind' | 'note' | 'encryption' | 'quickCheck' | 'verified'> {
  return {
    format: 1,
    id,
    createdAt: at.toISOString(),
    kind: options.kind ?? 'manual',
    note: options.note ?? null,
    encryption: options.passphrase ? 'aes-256-gcm+scrypt' : null,
    quickCheck: 'ok',
    verified: null,
  }
}

/**
 * The last steps of a backup: the finished data file (written as `partPath`) made private,
 * fsynced and renamed into place, the folder fsynced, then the manifest written the same way.
 * The manifest is the commit point: a data file without one is never listed.
 */
export function commitBackup(dir: string, partPath: string, finalPath: string, manifest: Manifest): Manifest & { path: string; dir: string } {
  chmodSync(partPath, 0o600)
  fsyncFile(partPath)
  renameSync(partPath, finalPath)
  fsyncDir(dir)
  writeManifest(dir, manifest)
  return { ...manifest, path: finalPath, dir }
}

/** After a failure: the partial file goes, and the data file too unless its manifest was written. */
export function discardBackup(dir: string, id: string, partPath: string, finalPath: string): void {
  rmSync(partPath, { force: true })
  if (!existsSync(join(dir, `${id}.json`))) rmSync(finalPath, { force: true })
}
