import { spawn } from 'node:child_process'
import { accessSync, constants, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'
import { CrmError } from '../errors.js'

export type PgTool = 'pg_dump' | 'pg_restore'

/**
 * The path of `pg_dump` or `pg_restore` on PATH. Debian and Ubuntu put version-picking
 * wrappers in /usr/bin (postgresql-client-common); Homebrew and the PGDG packages put the
 * binaries themselves there or in a folder the user adds to PATH. No other search: the
 * tool that runs is the one `which pg_dump` shows.
 */
export function findPgTool(name: PgTool, env: NodeJS.ProcessEnv = process.env): string {
  for (const folder of (env.PATH ?? '').split(delimiter)) {
    if (!folder) continue
    const candidate = join(folder, name)
    try {
      accessSync(candidate, constants.X_OK)
      if (statSync(candidate).isFile()) return candidate
    } catch {
      // not here
    }
  }
  throw new CrmError(`${name} not found: install the PostgreSQL client tools (apt install postgresql-client) or put ${name} on PATH`)
}

export interface RunResult {
  stdout: string
  stderr: string
}

export interface RunOptions {
  /** What is being done, for the error message. */
  what: string
  password?: string
  /**
   * The server's host when the URL names one. Always set in PGHOST (for a call that
   * connects nowhere, to `localhost`): Debian's pg_wrapper (/usr/bin/pg_dump) otherwise
   * picks the version of a local cluster on port 5432, which may be older than the
   * server crm talks to, and with a host it picks the newest installed client, which
   * reads every older server and archive. libpq itself takes the URL's host over PGHOST.
   */
  host: string | undefined
}

/**
 * Runs a PostgreSQL client tool with the password (if any) in PGPASSWORD rather than on
 * the command line, where every local user could read it in `ps`. Rejects with the
 * tool's first error line when it exits non-zero.
 */
export function runPgTool(path: string, args: string[], options: RunOptions): Promise<RunResult> {
  const env: NodeJS.ProcessEnv = { ...process.env }
  if (options.password !== undefined) env.PGPASSWORD = options.password
  if (options.host !== undefined) env.PGHOST = options.host
  return new Promise((resolve, reject) => {
    const child = spawn(path, args, { env, stdio: ['ignore', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', (e) => reject(new CrmError(`${options.what}: cannot run ${path}: ${e.message}`, 1, { cause: e })))
    child.on('close', (code, signal) => {
      const stdout = Buffer.concat(out).toString('utf8')
      const stderr = Buffer.concat(err).toString('utf8')
      if (code === 0) resolve({ stdout, stderr })
      else reject(new CrmError(`${options.what} failed: ${firstError(stderr) ?? (signal ? `killed by ${signal}` : `exit ${code}`)}`))
    })
  })
}

/** The first line that says what went wrong, without the tool's name prefix. */
function firstError(stderr: string): string | undefined {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  const line = lines.find((l) => /error|fatal|could not|unsupported|aborting/i.test(l)) ?? lines[0]
  return line?.replace(/^(pg_dump|pg_restore):\s*(error:\s*)?/, '')
}

/** `pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)` → 15; `… 9.6.24` → 9. */
export function parseToolMajor(versionLine: string): number | null {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(versionLine)
  if (!m) return null
  return Number(m[1])
}

/** server_version_num 150018 → 15; 90624 → 9. */
export function serverMajor(versionNum: number): number {
  return Math.floor(versionNum / 10000)
}

/** PGHOST for a call that connects nowhere (`--version`, `--list`): it only steers pg_wrapper. */
export const NO_CONNECTION = 'localhost'

/** The major version of a client tool, from `--version`. */
export async function toolMajor(path: string, name: PgTool): Promise<number> {
  const { stdout } = await runPgTool(path, ['--version'], { what: `${name} --version`, host: NO_CONNECTION })
  const major = parseToolMajor(stdout)
  if (major === null) throw new CrmError(`${path} --version said "${stdout.trim()}": not a PostgreSQL ${name}`)
  return major
}

/**
 * pg_dump refuses a server newer than itself ("server version mismatch") and a dump
 * from it could not be restored by an older pg_restore: say so before any work.
 */
export function assertToolCanServe(name: PgTool, tool: number, server: number): void {
  if (server > tool) {
    throw new CrmError(
      `${name} ${tool} is older than the PostgreSQL ${server} server: install the client tools of version ${server} or newer (apt install postgresql-client-${server})`,
    )
  }
}
