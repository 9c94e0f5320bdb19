import { readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fsyncDir } from './durable.js'
import { withBackupLock } from './lock.js'
import { DATA_SUFFIXES, listManifests, manifestPath, type Manifest } from './manifest.js'
import { decideRetention, type RetentionPolicy } from './retention.js'

export interface PruneResult {
  kept: Array<{ manifest: Manifest; reasons: string[] }>
  removed: Manifest[]
  /** Leftovers of interrupted runs (temporary files, data files without a manifest). */
  leftovers: string[]
}

/**
 * Applies a retention policy to a backup folder: removes each dropped backup's
 * manifest first (so it stops being a backup at once), then its data file; also
 * sweeps leftovers of interrupted runs, which is safe because we hold the lock.
 */
export async function pruneBackups(dir: string, policy: RetentionPolicy, options: { dryRun?: boolean } = {}): Promise<PruneResult> {
  return withBackupLock(dir, async () => {
    const manifests = listManifests(dir)
    const decision = decideRetention(
      manifests.map((m) => ({ id: m.id, createdAt: m.createdAt, verified: m.verified?.ok === true })),
      policy,
    )
    const byId = new Map(manifests.map((m) => [m.id, m]))
    const removed = decision.remove.map((id) => byId.get(id)!)
    const known = new Set(manifests.filter((m) => !decision.remove.includes(m.id)).map((m) => m.file))
    const leftovers = readdirSync(dir).filter(
      (f) => f !== '.lock' && (f.endsWith('.tmp') || /\.tmp-\d+$/.test(f) || (DATA_SUFFIXES.some((s) => f.endsWith(s)) && !known.has(f) && !removed.some((m) => m.file === f))),
    )
    if (!options.dryRun) {
      for (const m of removed) {
        rmSync(manifestPath(dir, m.id), { force: true })
        rmSync(join(dir, m.file), { force: true })
      }
      for (const f of leftovers) rmSync(join(dir, f), { force: true })
      fsyncDir(dir)
    }
    return {
      kept: decision.keep.map((k) => ({ manifest: byId.get(k.id)!, reasons: k.reasons })),
      removed,
      leftovers,
    }
  })
}
