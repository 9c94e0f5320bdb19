import { closeSync, linkSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs'
import { hostname } from 'node:os'
import { resolve } from 'node:path'
import { CrmError } from '../errors.js'

const LOCK_NAME = '.lock'

/**
 * How long a backup waits for another one's lock: a cron job's backup not at all (it says
 * so and fails), a safety backup before a merge or migration as long as crm waits for
 * the database itself (10 minutes).
 */
export function lockWait(kind: 'manual' | 'safety' | undefined): number {
  return kind === 'safety' ? 10 * 60 * 1000 : 0
}

/** Locks this process already holds, so a restore can take its own safety backup. */
const held = new Map<string, number>()

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the backup folder's lock file (created with O_EXCL, so exactly one process
 * wins), runs `fn`, and removes the lock. A lock left by a process that died (same
 * host, PID gone) is stale and taken over; a live holder is an error, not a wait:
 * a cron job that finds another backup running should fail loudly, not pile up.
 * `waitMs` is for safety backups: two merges at once each take one before writing, and
 * the second should wait its turn, as it waits for the database's write lock anyway.
 */
export async function withBackupLock<T>(dir: string, fn: () => Promise<T>, waitMs = 0): Promise<T> {
  // Keyed by the absolute path: `backups` and `/home/me/backups` are one lock.
  const path = resolve(dir, LOCK_NAME)
  const count = held.get(path) ?? 0
  if (count === 0) await acquireWaiting(path, waitMs)
  held.set(path, count + 1)
  try {
    return await fn()
  } finally {
    const left = (held.get(path) ?? 1) - 1
    if (left === 0) {
      held.delete(path)
      rmSync(path, { force: true })
    } else held.set(path, left)
  }
}

async function acquireWaiting(path: string, waitMs: number): Promise<void> {
  const until = Date.now() + waitMs
  for (;;) {
    try {
      acquire(path)
      return
    } catch (err) {
      if (!(err instanceof CrmError) || Date.now() >= until) throw err
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 150))
    }
  }
}

function acquire(path: string): void {
  for (let attempt = 0; attempt < 3; attempt++) {
    // Written whole under a private name, then linked into place (link fails if the lock
    // exists, like O_EXCL): a process killed half way never leaves an empty lock that
    // blocks every backup for the next seconds (found by npm run stress).
    const tmp = `${path}-${process.pid}.tmp`
    try {
      const fd = openSync(tmp, 'w', 0o600)
      try {
        writeSync(fd, JSON.stringify({ pid: process.pid, host: hostname(), at: new Date().toISOString() }) + '\n')
      } finally {
        closeSync(fd)
      }
      linkSync(tmp, path)
      return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    } finally {
      rmSync(tmp, { force: true })
    }
    const holder = readHolder(path)
    if (holder && holder.host === hostname() && !processIsAlive(holder.pid)) {
      rmSync(path, { force: true })
      continue
    }
    if (!holder) {
      // Empty or torn: either a holder is between create and write (a moment), or
      // it was killed there. Only an old one is stale.
      if (Date.now() - mtimeMs(path) > 10_000) {
        rmSync(path, { force: true })
        continue
      }
      throw new CrmError(`another backup or restore is starting (lock ${path}); try again`)
    }
    throw new CrmError(
      `another backup or restore is running (pid ${holder.pid} on ${holder.host}, since ${holder.at}); ` +
        `if it is not, remove ${path}`,
    )
  }
  throw new CrmError(`cannot take the backup lock ${path}`)
}

function readHolder(path: string): { pid: number; host: string; at: string } | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; host?: unknown; at?: unknown }
    if (typeof data.pid !== 'number' || typeof data.host !== 'string') return undefined
    return { pid: data.pid, host: data.host, at: String(data.at) }
  } catch {
    return undefined
  }
}

function mtimeMs(path: string): number {
  try {
    return statSync(path).mtimeMs
  } catch {
    return 0
  }
}
