import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Command } from 'commander'
import { describe, expect, test } from 'vitest'
import { buildProgram } from '../src/cli/main.js'
import { ROOT } from './helpers/runCrm.js'

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

function allCommands(cmd: Command, prefix = 'crm'): Array<{ path: string; cmd: Command }> {
  return cmd.commands.flatMap((c) => {
    const path = `${prefix} ${c.name()}`
    return [{ path, cmd: c }, ...allCommands(c, path)]
  })
}

const commands = allCommands(await buildProgram())

describe('every command is documented', () => {
  test('the README starts with the two set-up commands', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1]
    expect(firstBlock?.trim().split('\n')).toEqual(['npm install', 'npm test'])
  })

  test.each(commands.map((c) => [c.path, c.cmd] as const))('%s has a summary, an example in --help, and a README example', (path, cmd) => {
    expect(cmd.description().length, `${path} has no description`).toBeGreaterThan(10)
    let help = ''
    cmd.configureOutput({ writeOut: (s) => (help += s), writeErr: (s) => (help += s) })
    cmd.outputHelp()
    expect(help, `${path} --help has no Example: block`).toMatch(/Example:\n\s+\$ crm /)
    expect(readme, `README.md never shows "${path}"`).toContain(path)
  })
})
