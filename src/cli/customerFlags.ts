import { Option, type Command } from 'commander'
import { EDITABLE_FIELDS, flagOf, type EditableField } from '../customers/customerFields.js'
import type { ConsentStatus } from '../db/schema.js'
import { UsageError } from '../errors.js'

const DESCRIPTIONS: Record<EditableField, string> = {
  external_id: "the shop system's id for this customer",
  first_name: 'first (given) name',
  last_name: 'last (family) name',
  email: 'email address',
  phone: 'phone number as written (stored in E.164 too)',
  gender: 'f, m or x',
  birth_date: 'YYYY-MM-DD, or --MM-DD without the year',
  street: 'street and number',
  city: 'city',
  region: 'state or region (--state works too)',
  postal_code: 'postal code (--zip works too)',
  country: 'two-letter country code or name',
  company: 'company',
  job_title: 'job title',
  source: 'how they heard of us',
  territory: 'sales territory',
  sales_rep: 'sales rep',
  notes: 'free text',
}

const camel = (flag: string) => flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())

/** One flag per customer field (`--first-name`, `--rep` …), shared by `add` and `edit`. */
export function addCustomerFieldOptions(cmd: Command): Command {
  for (const f of EDITABLE_FIELDS) cmd.addOption(new Option(`${flagOf(f)} <value>`, DESCRIPTIONS[f]).helpGroup('Customer fields:'))
  cmd.addOption(new Option('--state <value>').hideHelp())
  cmd.addOption(new Option('--zip <value>').hideHelp())
  return cmd
}

/** The field flags given, by field name; `--state`/`--zip` fold into region/postal_code. */
export function fieldFlags(opts: Record<string, unknown>): Partial<Record<EditableField, string>> {
  const out: Partial<Record<EditableField, string>> = {}
  for (const f of EDITABLE_FIELDS) {
    const v = opts[camel(flagOf(f))]
    if (typeof v === 'string') out[f] = v
  }
  for (const [alias, field] of [['state', 'region'], ['zip', 'postal_code']] as const) {
    const v = opts[alias]
    if (typeof v !== 'string') continue
    if (out[field] !== undefined && out[field] !== v) throw new UsageError(`--${alias} and ${flagOf(field)} are the same field: give one`)
    out[field] = v
  }
  return out
}

/** `--set NAME=VALUE` for custom fields (crm field list), repeatable; an empty VALUE clears it. */
export function addSetOption(cmd: Command): Command {
  return cmd.addOption(
    new Option('--set <name=value>', 'a custom field (crm field list), repeatable; NAME= clears it')
      .argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value])
      .helpGroup('Customer fields:'),
  )
}

/** yes/no/unknown (and the importer's spellings) for a --consent-CHANNEL flag. */
export async function consentFlag(flag: string, value: string): Promise<ConsentStatus> {
  const { parseConsent } = await import('../import/parse/fields.js')
  const s = parseConsent(value)
  if (typeof s !== 'string') throw new UsageError(`${flag}: ${s.reason}`)
  return s
}
