import { Command, Option } from 'commander'
import { z } from 'zod'
import { UsageError } from '../errors.js'
import { withDb } from './context.js'
import { addFilterOptions, filterSpecFromOptions, type FilterOptions } from './filterOptions.js'
import { say, writeOut } from './messages.js'
import { resolveFormat, writeRows } from './output.js'
import { askLine, interactive } from './prompt.js'

const DedupeFlags = z.object({
  threshold: z.coerce.number().gt(0, 'a probability between 0 and 1').lt(1, 'a probability between 0 and 1').optional(),
  format: z.enum(['table', 'csv', 'json']).optional(),
  review: z.boolean().default(false),
  merge: z.boolean().default(false),
  yes: z.boolean().default(false),
  explain: z.boolean().default(false),
  compareExtra: z.array(z.string().min(1)).default([]),
})

const collect = (value: string, previous: string[] = []) => [...previous, value]

export function dedupeCommand(): Command {
  const cmd = new Command('dedupe')
    .description('find customers entered twice (Rob and Robert, Nguyễn and Nguyen, new phone format); review or merge them')
    .option('--threshold <p>', 'match probability a pair needs (0–1, default 0.9)')
    .addOption(new Option('--format <format>', 'output format (default: table on a terminal, csv when piped)').choices(['table', 'csv', 'json']))
    .option('--review', 'on a terminal, one group at a time: merge, skip, or not the same person (remembered)')
    .option('--merge', 'merge every group found, in one transaction (needs --yes in scripts)')
    .option('--yes', 'confirm --merge without asking')
    .option('--explain', 'print the weights learned from this list instead of the groups: every comparison level with m, u and bits, and the evidence against a match')
    .option('--compare-extra <column>', 'also compare this imported extra column as an identifier, e.g. a member number (repeatable)', collect)
    .addHelpText(
      'after',
      `
Groups come best first, each with its customer ids, the probability that they are one
person (the weakest pair in the group) and the reasons. Weights are learned from your own
data every run; pairs marked "not the same person" in --review are never proposed again.
JSON: an array of groups, each with ids, score, reasons and pairs.

Example:
  $ crm dedupe
  $ crm dedupe --threshold 0.99 --format json
  $ crm dedupe --review
  $ crm dedupe --merge --threshold 0.99 --yes
  $ crm dedupe --explain
  $ crm dedupe --city Berlin --format json`,
    )
  addFilterOptions(cmd)
  return cmd.action(async (raw: Record<string, unknown>, cmd: Command) => {
      const parsed = DedupeFlags.safeParse(raw)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        throw new UsageError(`--${String(issue.path[0]).replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())}: ${issue.message}`)
      }
      const flags = parsed.data
      if (flags.review && flags.merge) throw new UsageError('--review asks about each group; --merge merges them all: use one')
      if (flags.explain && (flags.review || flags.merge)) throw new UsageError('--explain prints the weights and changes nothing: drop --review and --merge')
      if (flags.review && !interactive()) {
        throw new UsageError('--review needs a terminal; in scripts list the groups with --format json and merge with crm merge ID ID')
      }
      if (flags.merge && !flags.yes && !interactive()) throw new UsageError('--merge changes customers: add --yes to confirm (stdin is not a terminal)')
      await withDb(cmd, async ({ crm, config }) => {
        const { mergeGroups, reviewGroups, runDedupeOn } = await import('../dedupe/index.js')
        const { runDedupeInWorker } = await import('../dedupe/runDedupeInWorker.js')
        const { isoNow, now } = await import('../clock.js')
        // The shared customer filter narrows who is compared (only when a filter flag is given).
        const spec = filterSpecFromOptions(raw as FilterOptions, config)
        let ids: number[] | undefined
        if (Object.values(spec).some((v) => v !== undefined && !(Array.isArray(v) && v.length === 0))) {
          const { resolveSegment } = await import('../query/segments.js')
          const { customerIdsMatching } = await import('../query/customerFilter.js')
          const resolved = await resolveSegment(crm.db, spec)
          ids = (await customerIdsMatching(crm.db, resolved, { now: now(), config }).execute()).map((r) => r.id)
        }
        const dedupeOptions = { threshold: flags.threshold, extraIdNames: flags.compareExtra, ids }
        // SQLite: a worker with a capped heap reads the file itself. PostgreSQL: this process
        // reads through its own connection (the worker would need the password-bearing URL).
        const result =
          crm.kind === 'sqlite'
            ? await runDedupeInWorker(crm.path, dedupeOptions)
            : await runDedupeOn(crm.db, dedupeOptions).then((r) => ({ shown: r.shown, records: r.stats.records, weights: r.weights }))
        if (flags.explain) {
          const w = result.weights
          const households =
            w.addressPairs < 20
              ? `too few records share a street address (${w.addressPairs} pairs) to tell whether families do, so`
              : `${Math.round(w.householdShare * 100)}% of ${w.addressPairs} pairs at one street address look like a family, so`
          say(`prior ${w.prior} bits; ${households} evidence against a match weighs ${Math.round(w.strength * 100)}% of its set strength`)
          await writeRows(w.rows.map((r) => ({ ...r })), { format: resolveFormat(flags.format), fields: ['comparison', 'level', 'm', 'u', 'weight', 'rule'] })
          return
        }
        const groups = result.shown
        const people = groups.reduce((n, g) => n + g.ids.length, 0)
        say(`${groups.length} groups of likely duplicates (${people} customers) among ${ids ? `the ${ids.length} selected` : result.records} customers`)
        if (flags.review) {
          const { askGroup } = await import('./dedupeReview.js')
          const { openPrompter } = await import('./prompt.js')
          const prompter = openPrompter()
          let summary
          try {
            summary = await reviewGroups(crm.db, groups, (_g, i, n) => askGroup(prompter, groups[i]!, i, n), () => isoNow())
          } finally {
            prompter.close()
          }
          for (const m of summary.merged) await writeOut(`${m.mergeId}\n`)
          say(`${summary.merged.length} merged, ${summary.distinct} marked not the same person, ${summary.skipped} skipped${summary.left ? `, ${summary.left} left for later` : ''}`)
          return
        }
        if (flags.merge) {
          if (groups.length === 0) return
          if (!flags.yes) {
            const answer = await askLine(`merge ${groups.length} groups (${people} customers into ${groups.length})? [y/N] `)
            if (!/^y(es)?$/i.test(answer)) {
              say('nothing merged')
              return
            }
          }
          const { safetyBackup } = await import('../backup/index.js')
          await safetyBackup(crm, 'before crm dedupe --merge')
          const merged = await mergeGroups(crm, groups, isoNow())
          for (const m of merged) await writeOut(`${m.mergeId}\n`)
          say(`merged ${people} customers into ${merged.length}; crm unmerge MERGE_ID undoes one (ids on stdout)`)
          return
        }
        const format = resolveFormat(flags.format)
        if (format === 'json') {
          await writeRows(
            groups.map((g) => ({ ids: g.ids, score: round(g.score), reasons: g.reasons, names: g.names, pairs: g.pairs.map((p) => ({ ...p, score: round(p.score) })) })),
            { format },
          )
          return
        }
        await writeRows(
          groups.map((g, i) => ({ group: i + 1, score: round(g.score), ids: g.ids.join(' '), names: g.names.join(' | '), reasons: g.reasons.join('; ') })),
          { format, fields: ['group', 'score', 'ids', 'names', 'reasons'] },
        )
      })
    })
}

const round = (p: number) => Math.floor(p * 10000) / 10000
