import type { Command } from 'commander'
import { configCommand } from './config.js'
import { dedupeCommand } from './dedupe.js'
import { importCommand } from './import.js'
import { mergeCommand } from './merge.js'
import { unmergeCommand } from './unmerge.js'

/**
 * Every top-level command, in the order `crm --help` lists them.
 * Each factory only declares flags; the work is imported inside its action.
 */
export const commands: Array<() => Command> = [importCommand, dedupeCommand, mergeCommand, unmergeCommand, configCommand]
