import { closeSync, fsyncSync, openSync, renameSync, writeFileSync, chmodSync } from 'node:fs'
import { dirname } from 'node:path'

/** Flushes a file's bytes to the disk, so a rename after it never exposes a half-written file. */
export function fsyncFile(path: string): void {
  const fd = openSync(path, 'r+')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Flushes a folder's entries, so a rename in it survives a power cut. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

/** Writes a small file beside its final name, fsyncs it and renames it into place (mode 0600). */
export function writeFileDurably(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`
  writeFileSync(tmp, data, { mode: 0o600 })
  chmodSync(tmp, 0o600)
  fsyncFile(tmp)
  renameSync(tmp, path)
  fsyncDir(dirname(path))
}
