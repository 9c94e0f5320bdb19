import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, test } from 'vitest'
import { pgBackupDir } from '../../src/backup/pgBackupDir.js'
import { derivedName, parsePgTarget, withDatabase } from '../../src/backup/pgServer.js'
import { assertToolCanServe, findPgTool, parseToolMajor, runPgTool } from '../../src/backup/pgTools.js'

// The pieces of PostgreSQL backups that need no server: tool lookup and versions, URLs, names.
const tmp = mkdtempSync(join(tmpdir(), 'crm-pgtools-'))
afterAll(() => rmSync(tmp, { recursive: true, force: true }))

describe('pg_dump and pg_restore', () => {
  test('found on PATH only, executable files only; missing is one clear message', () => {
    const empty = join(tmp, 'empty')
    const bin = join(tmp, 'bin')
    mkdirSync(empty)
    mkdirSync(join(bin, 'pg_restore'), { recursive: true }) // a folder of that name is not the tool
    writeFileSync(join(bin, 'pg_dump'), '#!/bin/sh\n')
    chmodSync(join(bin, 'pg_dump'), 0o755)
    expect(findPgTool('pg_dump', { PATH: `${empty}:${bin}` })).toBe(join(bin, 'pg_dump'))
    expect(() => findPgTool('pg_restore', { PATH: `${empty}:${bin}` })).toThrow(
      'pg_restore not found: install the PostgreSQL client tools (apt install postgresql-client) or put pg_restore on PATH',
    )
    writeFileSync(join(empty, 'pg_dump'), 'not executable')
    expect(findPgTool('pg_dump', { PATH: `${empty}:${bin}` })).toBe(join(bin, 'pg_dump'))
  })

  test('the password goes in PGPASSWORD, not argv; PGHOST steers Debian pg_wrapper; a failure is its first error line', async () => {
    const tool = join(tmp, 'echo-tool')
    writeFileSync(tool, '#!/bin/sh\necho "host=$PGHOST password=$PGPASSWORD args=$*"\n[ "$1" = fail ] && { echo "pg_dump: error: connection to server failed: no such host" >&2; exit 1; }\nexit 0\n')
    chmodSync(tool, 0o755)
    const t = parsePgTarget('postgres://crm:pw%21@db.example.com:6543/shop')
    const r = await runPgTool(tool, [`--dbname=${t.urlNoPassword}`], { what: 'test', password: t.password, host: t.explicitHost })
    expect(r.stdout).toBe('host=db.example.com password=pw! args=--dbname=postgres://crm@db.example.com:6543/shop\n')
    await expect(runPgTool(tool, ['fail'], { what: 'pg_dump of x', host: undefined })).rejects.toThrow(
      'pg_dump of x failed: connection to server failed: no such host',
    )
  })

  test('versions: the tool must be the server major version or newer', () => {
    expect(parseToolMajor('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n')).toBe(15)
    expect(parseToolMajor('pg_restore (PostgreSQL) 9.6.24')).toBe(9)
    expect(parseToolMajor('pg_dump 17')).toBeNull()
    expect(() => assertToolCanServe('pg_dump', 16, 15)).not.toThrow()
    expect(() => assertToolCanServe('pg_dump', 15, 15)).not.toThrow()
    expect(() => assertToolCanServe('pg_dump', 15, 17)).toThrow(
      'pg_dump 15 is older than the PostgreSQL 17 server: install the client tools of version 17 or newer (apt install postgresql-client-17)',
    )
  })
})

describe('URLs and names', () => {
  test('the password is kept apart from what goes on a command line or a screen', () => {
    const t = parsePgTarget('postgres://crm:s%40cret@db.example.com:6543/shop?sslmode=require')
    expect(t).toMatchObject({ password: 's@cret', host: 'db.example.com', port: '6543', database: 'shop', shown: 'postgres://crm:***@db.example.com:6543/shop?sslmode=require' })
    expect(t.urlNoPassword).toBe('postgres://crm@db.example.com:6543/shop?sslmode=require')
    expect(withDatabase(t, 'other').url).toBe('postgres://crm:s%40cret@db.example.com:6543/other?sslmode=require')
    expect(() => parsePgTarget('postgres://crm@db.example.com')).toThrow(/names no database/)
  })

  test('backups of a database with no file go under XDG_DATA_HOME, one folder per host, port and database', () => {
    expect(pgBackupDir('postgres://crm@db.example.com/shop', { XDG_DATA_HOME: '/x' })).toBe('/x/crm/backups/db.example.com-5432-shop')
    expect(pgBackupDir('postgres://crm:pw@127.0.0.1:55435/my%20shop', { XDG_DATA_HOME: '/x' })).toBe('/x/crm/backups/127.0.0.1-55435-my_shop')
    expect(pgBackupDir('postgres:///shop?host=/run/postgresql', { XDG_DATA_HOME: '/x' })).toBe('/x/crm/backups/_run_postgresql-5432-shop')
  })

  test('staging names stay within 63 bytes', () => {
    expect(derivedName('shop', '_crm_restore')).toBe('shop_crm_restore')
    const long = 'a'.repeat(60)
    expect(derivedName(long, '_crm_restore')).toBe('a'.repeat(51) + '_crm_restore')
    expect(Buffer.byteLength(derivedName('é'.repeat(40), '_crm_old'))).toBeLessThanOrEqual(63)
  })
})
