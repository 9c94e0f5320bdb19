import { Command } from 'commander'
import { now } from '../clock.js'
import { displayName } from '../customers/findCustomer.js'
import { addNpsAnswer, parseAnswerDate, parseScore } from '../nps/addAnswer.js'
import { classify } from '../nps/score.js'
import { withDb } from './context.js'
import { say, writeOut } from './messages.js'

interface AddOptions {
  comment?: string
  date?: string
  campaign?: string
}

const HELP = `
ID is the customer's id, email or external id. SCORE is a whole number from 0 to 10;
anything else is a usage error (exit 2). Prints the new answer's id.

Example:
  $ crm nps add anna@example.com 9 --comment "Quick delivery" --campaign autumn
  $ crm nps add 12 4 --date 2026-11-02`

export function npsAddCommand(): Command {
  return new Command('add')
    .description("record one customer's answer to the 0–10 recommend question")
    .argument('<id>', 'customer id, email or external id')
    .argument('<score>', '0 to 10')
    .option('--comment <text>', 'what they said')
    .option('--date <date>', 'when they answered: YYYY-MM-DD (local) or an ISO time (default: now)')
    .option('--campaign <name>', 'the survey campaign')
    .addHelpText('after', HELP)
    .action(async (ref: string, scoreText: string, opts: AddOptions, self: Command) => {
      const score = parseScore(scoreText)
      await withDb(self, async ({ crm, config }) => {
        const answeredAt = opts.date !== undefined ? parseAnswerDate(opts.date, config.timezone, now()) : now().toISOString()
        const { id, customer } = await addNpsAnswer(crm.db, {
          customer: ref,
          score,
          answeredAt,
          comment: opts.comment?.trim() || null,
          campaign: opts.campaign?.trim() || null,
        })
        say(`recorded answer ${id}: ${displayName(customer)} (${customer.id}) gave ${score}, a ${classify(score)}, on ${answeredAt.slice(0, 10)}`)
        await writeOut(`${id}\n`)
      })
    })
}
