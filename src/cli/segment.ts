import { Command } from 'commander'
import { createInterface } from 'node:readline/promises'
import { isoNow, now } from '../clock.js'
import { CrmError, UsageError } from '../errors.js'
import { countCustomers } from '../query/queryCustomers.js'
import { listSegments, removeSegment, resolveSegment, saveSegment } from '../query/segments.js'
import { withDb } from './context.js'
import { addFilterOptions, filterSpecFromOptions, flagsFromSpec, type FilterOptions } from './filterOptions.js'
import { say } from './messages.js'
import { addOutputOptions, parseFields, resolveFormat, writeRows } from './output.js'

const SEGMENT_NAME = /^[\p{L}\p{N}][\p{L}\p{N} _.-]{0,63}$/u

function checkName(name: string): string {
  if (!SEGMENT_NAME.test(name)) {
    throw new UsageError(`"${name}" is not a segment name (letters, digits, space, _ . -; up to 64 characters)`)
  }
  return name
}

export function segmentCommand(): Command {
  const cmd = new Command('segment').description('save a filter under a name and reuse it with --segment NAME')
  cmd.addHelpText(
    'after',
    `
Example:
  $ crm segment save big-spenders --spent-gt 1000 --days 365
  $ crm segment list
  $ crm query --segment big-spenders --city Berlin
  $ crm segment rm big-spenders --yes`,
  )

  const save = cmd
    .command('save')
    .description('save (or replace) a named filter; takes the same filter flags as crm query')
    .argument('<name>', 'segment name')
  addFilterOptions(save)
  save
    .addHelpText('after', '\nExample:\n  $ crm segment save lapsed-vips --tag vip --inactive-days 180')
    .action(async (name: string, opts: FilterOptions, self: Command) => {
      await withDb(self, async ({ crm, config }) => {
        const spec = filterSpecFromOptions(opts, config)
        if (Object.keys(spec).length === 0) throw new UsageError('segment save: give at least one filter flag (crm segment save --help)')
        const outcome = await saveSegment(crm.db, checkName(name), spec, isoNow())
        const n = await countCustomers(crm.db, await resolveSegment(crm.db, spec), { now: now(), config })
        say(`segment "${name}" ${outcome === 'created' ? 'saved' : 'replaced'}: ${flagsFromSpec(spec, config)} (${n} customers match now)`)
      })
    })

  const list = cmd.command('list').description('list the saved segments and their filters')
  addOutputOptions(list)
  list.addHelpText('after', '\nExample:\n  $ crm segment list --format json').action(async (opts: { format?: string; fields?: string }, self: Command) => {
    await withDb(self, async ({ crm, config }) => {
      const rows = (await listSegments(crm.db)).map((s) => ({
        name: s.name,
        filter: flagsFromSpec(s.filter, config),
        created_at: s.created_at,
        updated_at: s.updated_at,
      }))
      const known = ['name', 'filter', 'created_at', 'updated_at']
      await writeRows(rows, { format: resolveFormat(opts.format), fields: parseFields(opts.fields, known) ?? known })
    })
  })

  cmd
    .command('rm')
    .description('remove a saved segment (customers are not touched)')
    .argument('<name>', 'segment name')
    .option('--yes', 'do not ask (needed when stdin is not a terminal)')
    .addHelpText('after', '\nExample:\n  $ crm segment rm big-spenders --yes')
    .action(async (name: string, opts: { yes?: boolean }, self: Command) => {
      if (!opts.yes) {
        if (!process.stdin.isTTY) throw new UsageError(`segment rm: add --yes to remove "${name}" without asking`)
        const rl = createInterface({ input: process.stdin, output: process.stderr })
        const answer = await rl.question(`Remove segment "${name}"? [y/N] `)
        rl.close()
        if (!/^y(es)?$/i.test(answer.trim())) throw new CrmError('nothing removed')
      }
      await withDb(self, async ({ crm }) => {
        if (!(await removeSegment(crm.db, name))) throw new CrmError(`no segment named "${name}"`)
        say(`segment "${name}" removed`)
      })
    })
  return cmd
}
