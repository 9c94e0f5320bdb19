import { createInterface, type Interface } from 'node:readline'

/**
 * Questions on stderr, answers from stdin. One readline interface for the whole
 * conversation, and lines typed ahead wait in a queue: readline drops a line that
 * arrives while no question is pending.
 */
export interface Prompter {
  ask(question: string): Promise<string>
  close(): void
}

export function openPrompter(): Prompter {
  let rl: Interface | null = null
  const lines: string[] = []
  const waiting: Array<(line: string) => void> = []
  let ended = false
  const start = (): Interface => {
    const r = createInterface({ input: process.stdin, output: process.stderr, terminal: Boolean(process.stdin.isTTY) })
    r.on('line', (line) => {
      const next = waiting.shift()
      if (next) next(line)
      else lines.push(line)
    })
    r.on('close', () => {
      ended = true
      // End of input answers every pending question with "quit".
      for (const w of waiting.splice(0)) w('q')
    })
    return r
  }
  return {
    ask(question) {
      rl ??= start()
      rl.setPrompt(question)
      rl.prompt()
      const queued = lines.shift()
      if (queued !== undefined) return Promise.resolve(queued.trim())
      if (ended) return Promise.resolve('q')
      return new Promise((resolve) => waiting.push((line) => resolve(line.trim())))
    },
    close() {
      rl?.close()
      rl = null
    },
  }
}

/** Asks one question and reads one line. */
export async function askLine(question: string): Promise<string> {
  const p = openPrompter()
  try {
    return await p.ask(question)
  } finally {
    p.close()
  }
}

/** Whether a person is at the keyboard: prompts are only shown then. */
export function interactive(): boolean {
  return Boolean(process.stdin.isTTY && process.stderr.isTTY)
}
