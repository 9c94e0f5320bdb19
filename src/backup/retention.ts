/**
 * Which backups to keep, the way restic's `forget --keep-*` and borg's `prune` decide
 * (pure: plain values in, a decision out; unit-tested over a year of daily backups).
 *
 * Walking from newest to oldest:
 * - `last` N: the N newest backups;
 * - `daily`/`weekly`/`monthly` N: the newest backup of each of the N most recent days
 *   (ISO weeks, calendar months) that have one, in UTC;
 * - and always the newest verified backup, whatever the policy says.
 * A backup kept by several rules lists every reason.
 */
export interface RetentionPolicy {
  last: number
  daily: number
  weekly: number
  monthly: number
}

export interface BackupStamp {
  id: string
  /** ISO-8601 UTC. */
  createdAt: string
  verified: boolean
}

export interface RetentionDecision {
  keep: Array<{ id: string; reasons: string[] }>
  remove: string[]
}

type Rule = { name: keyof RetentionPolicy; bucket: (b: BackupStamp) => string }

const RULES: Rule[] = [
  // Every backup is its own bucket: the N newest.
  { name: 'last', bucket: (b) => b.id },
  { name: 'daily', bucket: (b) => new Date(b.createdAt).toISOString().slice(0, 10) },
  { name: 'weekly', bucket: (b) => isoWeek(new Date(b.createdAt)) },
  { name: 'monthly', bucket: (b) => new Date(b.createdAt).toISOString().slice(0, 7) },
]

export function decideRetention(backups: readonly BackupStamp[], policy: RetentionPolicy): RetentionDecision {
  const sorted = [...backups].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.id < b.id ? 1 : -1))
  const reasons = new Map<string, string[]>()
  const add = (id: string, reason: string) => reasons.set(id, [...(reasons.get(id) ?? []), reason])
  for (const rule of RULES) {
    let left = policy[rule.name]
    let lastBucket: string | undefined
    for (const b of sorted) {
      if (left <= 0) break
      const bucket = rule.bucket(b)
      if (bucket === lastBucket) continue
      lastBucket = bucket
      add(b.id, rule.name === 'last' ? 'last' : `${rule.name} ${bucket}`)
      left--
    }
  }
  const newestVerified = sorted.find((b) => b.verified)
  if (newestVerified) add(newestVerified.id, 'newest verified')
  return {
    keep: sorted.filter((b) => reasons.has(b.id)).map((b) => ({ id: b.id, reasons: reasons.get(b.id)! })),
    remove: sorted.filter((b) => !reasons.has(b.id)).map((b) => b.id),
  }
}

/** ISO-8601 week, e.g. 2026-W01 (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(d: Date): string {
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()))
  const weekday = day.getUTCDay() || 7
  day.setUTCDate(day.getUTCDate() + 4 - weekday) // the Thursday of this week decides the year
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1)
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7)
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`
}
