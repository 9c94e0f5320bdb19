/** Everything said to a person goes to stderr; results go to stdout. */

let quiet = false

export function setQuiet(value: boolean): void {
  quiet = value
}

/** A message for a person; silenced by --quiet. */
export function say(message: string): void {
  if (!quiet) process.stderr.write(message + '\n')
}

/** A warning; silenced by --quiet too (the exit code still tells scripts). */
export function warn(message: string): void {
  if (!quiet) process.stderr.write(`crm: warning: ${message}\n`)
}

/** An error line; never silenced. */
export function printError(message: string): void {
  process.stderr.write(`crm: ${message}\n`)
}

/** Writes to stdout, waiting for the pipe to drain so large outputs are not cut off. */
export async function writeOut(chunk: string): Promise<void> {
  if (!process.stdout.write(chunk)) {
    await new Promise<void>((resolve) => process.stdout.once('drain', resolve))
  }
}
