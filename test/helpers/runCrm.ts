import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'

export const ROOT = resolve(import.meta.dirname, '../..')
export const BIN = join(ROOT, 'bin/crm.js')

export interface CrmResult {
  exitCode: number
  stdout: string
  stderr: string
}

export interface RunOptions {
  env?: Record<string, string | undefined>
  input?: string | Buffer
  cwd?: string
}

/**
 * Runs the built binary as a user would, with HOME and XDG folders inside `home`
 * so no test touches the real user's database or config.
 */
export function runCrm(args: string[], home: string, options: RunOptions = {}): Promise<CrmResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? home,
      env: {
        PATH: process.env.PATH,
        HOME: home,
        XDG_DATA_HOME: join(home, 'data'),
        XDG_CONFIG_HOME: join(home, 'config'),
        TZ: 'UTC',
        ...options.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (d: Buffer) => out.push(d))
    child.stderr.on('data', (d: Buffer) => err.push(d))
    child.on('error', reject)
    child.on('close', (code) =>
      resolvePromise({
        exitCode: code ?? -1,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    )
    child.stdin.end(options.input ?? '')
  })
}

/** A temporary home folder; `cleanup()` removes it. */
export function tempHome(): { dir: string; db: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'crm-test-'))
  return { dir, db: join(dir, 'crm.db'), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Reads rows straight from a database file, bypassing crm. */
export function queryDb<T = Record<string, unknown>>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new BetterSqlite3(dbPath, { readonly: true })
  try {
    return db.prepare(sql).all(...params) as T[]
  } finally {
    db.close()
  }
}

export function fixture(name: string): string {
  return join(ROOT, 'test/fixtures', name)
}
