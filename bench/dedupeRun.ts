import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

const ROOT = resolve(import.meta.dirname, '../..')
// CRM_BIN: another build's bin/crm.js (a copy of the code before a change), for before/after.
const BIN = process.env.CRM_BIN ?? join(ROOT, 'bin/crm.js')

export interface Run {
  seconds: number
  /** CPU seconds (user + system): the machine is shared, so wall time alone misleads. */
  cpuSeconds: number
  peakMiB: number
  stdout: string
  stderr: string
  code: number
}

/** Runs crm with a private HOME under GNU time: wall and CPU seconds, peak resident memory. */
export function runCrmTimed(home: string, argv: string[]): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const timing = join(home, 'time.txt')
    const child = spawn('/usr/bin/time', ['-o', timing, '-f', '%e %U %S %M', process.execPath, BIN, ...argv], {
      env: { PATH: process.env.PATH, HOME: home, XDG_DATA_HOME: join(home, 'data'), XDG_CONFIG_HOME: join(home, 'config'), TZ: 'UTC' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', reject)
    child.on('close', (code) => {
      const [wall, user, sys, kb] = readFileSync(timing, 'utf8').trim().split('\n').pop()!.split(' ').map(Number)
      resolvePromise({
        seconds: wall!,
        cpuSeconds: user! + sys!,
        peakMiB: Math.round(kb! / 1024),
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        code: code ?? -1,
      })
    })
  })
}

export function mustSucceed(r: Run, what: string): Run {
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr.slice(0, 2000)}`)
  return r
}
