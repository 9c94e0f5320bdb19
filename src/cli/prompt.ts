import { createInterface } from 'node:readline/promises'

/** Asks one question on stderr and reads one line from stdin (a terminal). */
export async function askLine(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) })
  try {
    return (await rl.question(question)).trim()
  } finally {
    rl.close()
  }
}

/** Whether a person is at the keyboard: prompts are only shown then. */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY)
}
