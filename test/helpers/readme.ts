import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT } from './runCrm.js'

/** The `crm …` lines of one README section (its `## ` heading), split like a shell would. */
export function readmeCommands(heading: string): string[][] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf(heading))
  const body = section.slice(0, section.indexOf('\n## ', 10) > 0 ? section.indexOf('\n## ', 10) : undefined)
  // A line ending in a backslash goes on, as in a shell.
  const lines = [...body.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.replace(/\\\n\s*/g, ' ').split('\n'))
  return lines
    .map((l) => l.replace(/\s+#.*$/, '').replace(/\s*>\s*\S+$/, '').trim())
    .filter((l) => l.startsWith('crm '))
    .map((l) => [...l.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!).slice(1))
}

/** The README's query section: every filter and output flag has an example there. */
export const QUERY_SECTION = '## Finding customers: crm query'

/** The README's section on one customer's record. */
export const RECORDS_SECTION = '## One customer: add, show, edit, log, consent, forget, export'

/** The README's NPS section. */
export const NPS_SECTION = '## NPS: crm nps'

/** The README's custom fields section. */
export const FIELDS_SECTION = '## Custom fields: crm field'
