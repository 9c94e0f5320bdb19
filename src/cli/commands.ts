import type { Command } from 'commander'

/**
 * Every top-level command, in the order `crm --help` lists them: what the help needs
 * (name, alias, arguments, summary) and how to load the command's own module. main.ts
 * loads only the command the user named, so `crm query` never reads pdfkit, the importer
 * or the dedupe matcher, and `crm --help` reads no command module at all.
 * test/cli/startup.test.ts checks that each entry says what its loaded command says.
 */
export interface CommandEntry {
  name: string
  alias?: string
  /** What `crm --help` shows after the name, e.g. `[options] <file>` (commander's own term for the loaded command). */
  usage: string
  description: string
  load: () => Promise<Command>
}

export const commands: CommandEntry[] = [
  {
    name: 'import',
    usage: '[options] <file>',
    description: 'import customers, purchases, contacts or NPS answers from a CSV or vCard file',
    load: async () => (await import('./import.js')).importCommand(),
  },
  {
    name: 'query',
    alias: 'filter',
    usage: '[options]',
    description: 'list the customers that match a filter (demographics, address, spend in a window, tags, consent)',
    load: async () => (await import('./query.js')).queryCommand(),
  },
  {
    name: 'segment',
    usage: '',
    description: 'save a filter under a name and reuse it with --segment NAME',
    load: async () => (await import('./segment.js')).segmentCommand(),
  },
  {
    name: 'field',
    usage: '',
    description: "define the shop's own customer fields (income band, children, loyalty number …)",
    load: async () => (await import('./field.js')).fieldCommand(),
  },
  {
    name: 'add',
    usage: '[options]',
    description: 'add a customer; prints the new id',
    load: async () => (await import('./add.js')).addCommand(),
  },
  {
    name: 'show',
    usage: '[options] <customer>',
    description: "one customer's whole profile: fields, tags, consent, purchases, contacts, NPS",
    load: async () => (await import('./show.js')).showCommand(),
  },
  {
    name: 'edit',
    usage: '[options] <customer>',
    description: "change a customer's fields",
    load: async () => (await import('./edit.js')).editCommand(),
  },
  {
    name: 'rm',
    usage: '[options] <customer>',
    description: 'delete a customer entered by mistake, with their purchases and contacts',
    load: async () => (await import('./rm.js')).rmCommand(),
  },
  {
    name: 'tag',
    usage: '<customer> <names...>',
    description: 'put tags on a customer',
    load: async () => (await import('./tag.js')).tagCommand(),
  },
  {
    name: 'untag',
    usage: '<customer> <names...>',
    description: 'take tags off a customer',
    load: async () => (await import('./tag.js')).untagCommand(),
  },
  {
    name: 'purchase',
    usage: '',
    description: "record a customer's purchases",
    load: async () => (await import('./purchase.js')).purchaseCommand(),
  },
  {
    name: 'log',
    usage: '[options] <customer> [text]',
    description: 'record a contact with a customer (call, complaint, question, review, note)',
    load: async () => (await import('./log.js')).logCommand(),
  },
  {
    name: 'consent',
    usage: '[options] <customer>',
    description: "record a customer's consent or refusal per channel; without flags, show it",
    load: async () => (await import('./consent.js')).consentCommand(),
  },
  {
    name: 'forget',
    usage: '[options] <customer>',
    description: 'erase a person (right to erasure): personal data removed, purchases kept anonymously',
    load: async () => (await import('./forget.js')).forgetCommand(),
  },
  {
    name: 'export',
    usage: '[options]',
    description: 'export customers (CSV, JSON, NDJSON, vCard 4.0), or everything held about one person',
    load: async () => (await import('./export.js')).exportCommand(),
  },
  {
    name: 'dedupe',
    usage: '[options]',
    description: 'find customers entered twice (Rob and Robert, Nguyễn and Nguyen, new phone format); review or merge them',
    load: async () => (await import('./dedupe.js')).dedupeCommand(),
  },
  {
    name: 'merge',
    usage: '[options] <ids...>',
    description: 'merge customers into the oldest of them, keeping every purchase, contact, NPS answer and tag',
    load: async () => (await import('./merge.js')).mergeCommand(),
  },
  {
    name: 'unmerge',
    usage: '[options] <merge-id>',
    description: 'undo a merge: the customers, their purchases, contacts, NPS answers and tags come back exactly as they were',
    load: async () => (await import('./unmerge.js')).unmergeCommand(),
  },
  {
    name: 'nps',
    usage: '',
    description: 'Net Promoter Score: record answers, score them with a 95% interval, list detractors to call back',
    load: async () => (await import('./nps.js')).npsCommand(),
  },
  {
    name: 'labels',
    usage: '[options]',
    description: 'mailing labels for any customer filter: PDF on label sheets, fixed-width text, or CSV for mail merge',
    load: async () => (await import('./labels.js')).labelsCommand(),
  },
  {
    name: 'report',
    usage: '',
    description: 'reports: how customers heard of us, sales over time, RFM segments, bought together, birthdays, lapsed, custom fields',
    load: async () => (await import('./report.js')).reportCommand(),
  },
  {
    name: 'backup',
    usage: '',
    description: 'take a consistent, checked, compressed backup of the database (list, verify, prune them)',
    load: async () => (await import('./backup.js')).backupCommand(),
  },
  {
    name: 'restore',
    usage: '[options] <id>',
    description: 'replace the database with a backup (verified first; a safety backup of the current one is taken)',
    load: async () => (await import('./restore.js')).restoreCommand(),
  },
  {
    name: 'copy',
    usage: '[options]',
    description: 'copy a whole database into a new one: a SQLite file into PostgreSQL, or back',
    load: async () => (await import('./copy.js')).copyCommand(),
  },
  {
    name: 'config',
    usage: '',
    description: "show or change the shop's settings (country, currency, time zone, sender)",
    load: async () => (await import('./config.js')).configCommand(),
  },
]
