/**
 * The current time. `CRM_NOW` (ISO-8601) fixes it, so tests and reproducible
 * reports can say exactly what "the last 30 days" means.
 */
export function now(env: NodeJS.ProcessEnv = process.env): Date {
  const fixed = env.CRM_NOW
  if (fixed) {
    const d = new Date(fixed)
    if (Number.isNaN(d.getTime())) throw new Error(`CRM_NOW is not a date: ${fixed}`)
    return d
  }
  return new Date()
}

/** ISO-8601 UTC text, the form every timestamp takes in SQLite. */
export function isoNow(env: NodeJS.ProcessEnv = process.env): string {
  return now(env).toISOString()
}
