import { UsageError } from '../errors.js'

/**
 * A destructive step goes on with `--yes`; on a terminal the person is asked; in a
 * script (stdin not a TTY) without `--yes` it is a usage error (exit 2) and nothing changes.
 * Returns false when the person answered no.
 */
export async function confirmed(question: string, yes: boolean | undefined, flagHint: string): Promise<boolean> {
  if (yes) return true
  if (!process.stdin.isTTY) throw new UsageError(`${flagHint}: add --yes to confirm (stdin is not a terminal, so crm cannot ask)`)
  const { createInterface } = await import('node:readline/promises')
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const answer = await rl.question(`${question} [y/N] `)
    return /^(y|yes)$/i.test(answer.trim())
  } finally {
    rl.close()
  }
}

/** Asks for a value on a terminal (`crm add` without a name); empty answers are undefined. */
export async function prompt(questions: string[]): Promise<Array<string | undefined>> {
  const { createInterface } = await import('node:readline/promises')
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    const answers: Array<string | undefined> = []
    for (const q of questions) {
      const a = (await rl.question(`${q}: `)).trim()
      answers.push(a === '' ? undefined : a)
    }
    return answers
  } finally {
    rl.close()
  }
}
