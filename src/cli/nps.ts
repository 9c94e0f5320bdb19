import { Command } from 'commander'
import { npsAddCommand } from './npsAdd.js'
import { npsDetractorsCommand } from './npsDetractors.js'
import { npsScoreCommand } from './npsScore.js'

const HELP = `
\`crm nps [flags]\` is \`crm nps score [flags]\` (crm nps score --help lists its flags).
Flags belong to the subcommand named before them: crm nps detractors --format json.

Example:
  $ crm nps --gender f --state CA
  $ crm nps --by month --answered-since 2026-01-01
  $ crm nps add anna@example.com 9 --comment "Quick delivery" --campaign autumn
  $ crm nps detractors --answered-days 30`

export function npsCommand(): Command {
  return new Command('nps')
    .description('Net Promoter Score: record answers, score them with a 95% interval, list detractors to call back')
    .addCommand(npsScoreCommand(), { isDefault: true })
    .addCommand(npsAddCommand())
    .addCommand(npsDetractorsCommand())
    .addHelpText('after', HELP)
}
