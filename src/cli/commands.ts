import type { Command } from 'commander'
import { addCommand } from './add.js'
import { backupCommand } from './backup.js'
import { configCommand } from './config.js'
import { consentCommand } from './consent.js'
import { copyCommand } from './copy.js'
import { dedupeCommand } from './dedupe.js'
import { editCommand } from './edit.js'
import { exportCommand } from './export.js'
import { fieldCommand } from './field.js'
import { forgetCommand } from './forget.js'
import { importCommand } from './import.js'
import { labelsCommand } from './labels.js'
import { logCommand } from './log.js'
import { mergeCommand } from './merge.js'
import { npsCommand } from './nps.js'
import { purchaseCommand } from './purchase.js'
import { queryCommand } from './query.js'
import { reportCommand } from './report.js'
import { restoreCommand } from './restore.js'
import { rmCommand } from './rm.js'
import { segmentCommand } from './segment.js'
import { showCommand } from './show.js'
import { tagCommand, untagCommand } from './tag.js'
import { unmergeCommand } from './unmerge.js'

/**
 * Every top-level command, in the order `crm --help` lists them.
 * Each factory only declares flags; the work is imported inside its action.
 */
export const commands: Array<() => Command> = [
  importCommand,
  queryCommand,
  segmentCommand,
  fieldCommand,
  addCommand,
  showCommand,
  editCommand,
  rmCommand,
  tagCommand,
  untagCommand,
  purchaseCommand,
  logCommand,
  consentCommand,
  forgetCommand,
  exportCommand,
  dedupeCommand,
  mergeCommand,
  unmergeCommand,
  npsCommand,
  labelsCommand,
  reportCommand,
  backupCommand,
  restoreCommand,
  copyCommand,
  configCommand,
]
