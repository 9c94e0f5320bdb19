import { spawn } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { hostname } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, test } from 'vitest'
import { lockWait, withBackupLock } from '../../src/backup/lock.js'
import { tempHome } from '../helpers/runCrm.js'

let home: ReturnType<typeof tempHome>
beforeEach(() => {
  home = tempHome()
})
afterEach(() => home.cleanup())

test('a backup refuses a folder another live process has locked; a safety backup waits for it', async () => {
  const other = spawn('sleep', ['30'])
  try {
    const lock = join(home.dir, '.lock')
    writeFileSync(lock, JSON.stringify({ pid: other.pid, host: hostname(), at: new Date().toISOString() }))
    await expect(withBackupLock(home.dir, async () => 'ran', lockWait('manual'))).rejects.toThrow(/another backup or restore is running/)
    // The other holder finishes a moment later: the waiting one then runs.
    setTimeout(() => rmSync(lock), 400)
    const started = Date.now()
    await expect(withBackupLock(home.dir, async () => 'ran', lockWait('safety'))).resolves.toBe('ran')
    expect(Date.now() - started).toBeGreaterThanOrEqual(300)
    // A bounded wait still gives up with the same message.
    writeFileSync(lock, JSON.stringify({ pid: other.pid, host: hostname(), at: new Date().toISOString() }))
    await expect(withBackupLock(home.dir, async () => 'ran', 500)).rejects.toThrow(/another backup or restore is running/)
  } finally {
    other.kill()
  }
})
