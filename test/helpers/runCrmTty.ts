import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process'
import { join } from 'node:path'
import { BIN, type CrmResult } from './runCrm.js'

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`

/**
 * Runs the built binary on a pseudo-terminal (util-linux `script`), so stdin and stdout
 * are TTYs as for a person at the keyboard. Each answer is typed once its prompt
 * (a text ending the output so far) has appeared. stdout holds everything the terminal showed.
 */
export function runCrmOnTty(args: string[], home: string, answers: Array<{ after: string; type: string }>, env: Record<string, string> = {}): Promise<CrmResult> {
  return new Promise((resolvePromise, reject) => {
    const command = [process.execPath, BIN, ...args].map(quote).join(' ')
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd: home,
      env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), TZ: 'UTC', TERM: 'dumb', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let shown = ''
    let next = 0
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000)
    child.stdout.on('data', (d: Buffer) => {
      shown += d.toString('utf8')
      while (next < answers.length && shown.includes(answers[next]!.after)) {
        child.stdin.write(answers[next]!.type + '\r')
        shown = shown.replace(answers[next]!.after, `«${answers[next]!.after}»`)
        next++
      }
    })
    let err = ''
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      child.stdin.destroy()
      resolvePromise({ exitCode: code ?? -1, stdout: shown, stderr: err })
    })
  })
}

/**
 * Runs the built binary on a pseudo-terminal with all of `input` typed ahead (read as the
 * prompts come), for flows whose answers do not depend on what is shown.
 */
export function runCrmOnTtyTypedAhead(args: string[], home: string, input: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  const command = [process.execPath, BIN, ...args].map(quote).join(' ')
  return spawnSync('script', ['-qec', command, '/dev/null'], {
    input,
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), TZ: 'UTC', ...env },
  })
}
