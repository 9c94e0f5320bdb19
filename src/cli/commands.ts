import type { Command } from 'commander'
import { configCommand } from './config.js'
import { importCommand } from './import.js'
import { queryCommand } from './query.js'
import { reportCommand } from './report.js'
import { segmentCommand } from './segment.js'

/**
 * Every top-level command, in the order `crm --help` lists them.
 * Each factory only declares flags; the work is imported inside its action.
 */
export const commands: Array<() => Command> = [importCommand, queryCommand, segmentCommand, reportCommand, configCommand]
