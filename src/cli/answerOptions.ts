import { Option, type Command } from 'commander'
import { UsageError } from '../errors.js'
import type { AnswerWindowSpec } from '../nps/answerWindow.js'
import { isIsoDate } from '../query/localTime.js'

/** The NPS answer-window flags as commander hands them over. */
export interface AnswerOptions {
  answeredDays?: string
  answeredSince?: string
  answeredUntil?: string
  campaign?: string
}

/** `--answered-days`, `--answered-since`, `--answered-until`, `--campaign`: which answers count. */
export function addAnswerOptions(cmd: Command): Command {
  const group = 'Answer options:'
  for (const o of [
    new Option('--answered-days <n>', 'answers from local midnight N days ago through now'),
    new Option('--answered-since <date>', 'answers from this day (YYYY-MM-DD)'),
    new Option('--answered-until <date>', 'answers through this day (YYYY-MM-DD)'),
    new Option('--campaign <name>', 'answers to this survey campaign only'),
  ]) {
    cmd.addOption(o.helpGroup(group))
  }
  return cmd
}

/** The answer window the flags ask for; a bad value or combination is a usage error. */
export function answerWindowFromOptions(o: AnswerOptions): AnswerWindowSpec {
  const spec: AnswerWindowSpec = {}
  if (o.answeredDays !== undefined) {
    if (!/^\d+$/.test(o.answeredDays.trim())) throw new UsageError(`--answered-days: "${o.answeredDays}" is not a whole number`)
    spec.days = Number(o.answeredDays)
  }
  for (const [flag, value, key] of [
    ['--answered-since', o.answeredSince, 'since'],
    ['--answered-until', o.answeredUntil, 'until'],
  ] as const) {
    if (value === undefined) continue
    if (!isIsoDate(value.trim())) throw new UsageError(`${flag}: "${value}" is not a date (use YYYY-MM-DD)`)
    spec[key] = value.trim()
  }
  if (spec.days !== undefined && (spec.since !== undefined || spec.until !== undefined)) {
    throw new UsageError('--answered-days cannot be combined with --answered-since/--answered-until')
  }
  if (spec.since && spec.until && spec.since > spec.until) throw new UsageError('--answered-since is after --answered-until')
  return spec
}

/** `--campaign` as given, or undefined when empty. */
export function campaignFromOptions(o: AnswerOptions): string | undefined {
  const c = o.campaign?.trim()
  if (o.campaign !== undefined && !c) throw new UsageError('--campaign: give a campaign name')
  return c
}
