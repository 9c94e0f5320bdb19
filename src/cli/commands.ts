import type { Command } from 'commander'
import { backupCommand } from './backup.js'
import { configCommand } from './config.js'
import { importCommand } from './import.js'
import { queryCommand } from './query.js'
import { restoreCommand } from './restore.js'
import { segmentCommand } from './segment.js'

/**
 * Every top-level command, in the order `crm --help` lists them.
 * Each factory only declares flags; the work is imported inside its action.
 */
export const commands: Array<() => Command> = [importCommand, queryCommand, segmentCommand, configCommand, backupCommand, restoreCommand]
