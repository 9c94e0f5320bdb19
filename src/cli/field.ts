import { Command, Option } from 'commander'
import { CUSTOM_FIELD_TYPES, type CustomFieldType } from '../db/schema.js'
import { UsageError } from '../errors.js'
import { withDb } from './context.js'
import { say } from './messages.js'
import { addOutputOptions, parseFields, resolveFormat, writeRows } from './output.js'
import { askLine, interactive } from './prompt.js'

const HELP = `
A field holds one typed value per customer: text, number, money (base currency), date
(YYYY-MM-DD), bool (yes/no) or choice (one of a fixed list). Set values with
crm add/edit --set NAME=VALUE or an import column named like the field; filter with
crm query --where "NAME>=2"; see the spread with crm report fields NAME.

Example:
  $ crm field add children --type number --label "Number of children"
  $ crm field add income_band --type choice --choices low,middle,high
  $ crm field add loyalty_no --type text --from-extra "Loyalty card"
  $ crm field list
  $ crm field rename loyalty_no loyalty_card
  $ crm field rm loyalty_card --yes`

const LIST_FIELDS = ['name', 'label', 'type', 'choices', 'customers']

export function fieldCommand(): Command {
  const cmd = new Command('field').description("define the shop's own customer fields (income band, children, loyalty number …)").addHelpText('after', HELP)

  cmd
    .command('add')
    .description('define a field')
    .argument('<name>', 'letters, digits and _, a letter first (e.g. income_band)')
    .addOption(new Option('--type <type>', 'the kind of value').choices(CUSTOM_FIELD_TYPES).makeOptionMandatory())
    .option('--choices <list>', 'choice fields: the allowed values, comma-separated')
    .option('--label <text>', 'a readable name (import headers may use it too)')
    .option('--from-extra <key>', "move each customer's value under KEY of the imported extra columns into the field (all must fit, or nothing changes)")
    .addHelpText('after', '\nExample:\n  $ crm field add member_since --type date\n  $ crm field add income_band --type choice --choices low,middle,high --label "Household income"')
    .action(async (name: string, opts: { type: CustomFieldType; choices?: string; label?: string; fromExtra?: string }, self: Command) => {
      const { addField, checkFieldName, parseChoices } = await import('../fields/index.js')
      checkFieldName(name)
      const choices = parseChoices(opts.type, opts.choices)
      await withDb(self, async ({ crm, config }) => {
        const { isoNow } = await import('../clock.js')
        const r = await addField(crm.db, { name, type: opts.type, choices, label: opts.label ?? null, at: isoNow(), fromExtra: opts.fromExtra, currency: config.currency })
        say(`field ${r.field.name} (${r.field.type}) added${opts.fromExtra !== undefined ? `; ${r.promoted} value${r.promoted === 1 ? '' : 's'} moved from extra "${opts.fromExtra}"` : ''}`)
      })
    })

  const list = cmd.command('list').description('list the fields with their type, choices and how many customers have a value')
  addOutputOptions(list)
  list.addHelpText('after', '\nExample:\n  $ crm field list\n  $ crm field list --format json').action(async (opts: { format?: string; fields?: string }, self: Command) => {
    await withDb(self, async ({ crm }) => {
      const { listFields, valueCounts } = await import('../fields/index.js')
      const counts = await valueCounts(crm.db)
      const rows = (await listFields(crm.db)).map((f) => ({ name: f.name, label: f.label, type: f.type, choices: f.choices?.join(',') ?? null, customers: counts.get(f.id) ?? 0 }))
      await writeRows(rows, { format: resolveFormat(opts.format), fields: parseFields(opts.fields, LIST_FIELDS) ?? LIST_FIELDS })
    })
  })

  cmd
    .command('rename')
    .description('rename a field (its values stay; saved segments follow)')
    .argument('<old>', 'the current name')
    .argument('<new>', 'the new name')
    .addHelpText('after', '\nExample:\n  $ crm field rename kids children')
    .action(async (from: string, to: string, _opts: unknown, self: Command) => {
      const { renameField, checkFieldName } = await import('../fields/index.js')
      checkFieldName(to)
      await withDb(self, async ({ crm }) => {
        const { isoNow } = await import('../clock.js')
        const r = await renameField(crm.db, from, to, isoNow())
        say(`field ${from} is now ${r.field.name}${r.segments ? ` (${r.segments} saved segment${r.segments === 1 ? '' : 's'} updated)` : ''}`)
      })
    })

  cmd
    .command('rm')
    .description('remove a field and every value of it (a safety backup is taken first)')
    .argument('<name>', 'the field')
    .option('--yes', 'do not ask (needed when stdin is not a terminal)')
    .addHelpText('after', '\nExample:\n  $ crm field rm shoe_size --yes')
    .action(async (name: string, opts: { yes?: boolean }, self: Command) => {
      if (!opts.yes && !interactive()) throw new UsageError(`field rm deletes every value of ${name}: add --yes to confirm (stdin is not a terminal)`)
      await withDb(self, async ({ crm }) => {
        const { listFields, requireField, removeField } = await import('../fields/index.js')
        const field = requireField(await listFields(crm.db), name, 'field rm')
        if (!opts.yes) {
          const answer = await askLine(`remove field ${field.name} and all its values? [y/N] `)
          if (!/^y(es)?$/i.test(answer)) {
            say('nothing removed')
            return
          }
        }
        const { safetyBackup } = await import('../backup/index.js')
        const { isoNow } = await import('../clock.js')
        await safetyBackup(crm, `before crm field rm ${field.name}`)
        const r = await removeField(crm.db, field.name, isoNow())
        say(`field ${r.field.name} removed with ${r.values} value${r.values === 1 ? '' : 's'} (a safety backup was taken: crm backup list)`)
      })
    })
  return cmd
}
