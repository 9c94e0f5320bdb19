/** The backup feature's entry: what the CLI and other commands import. */
export { createBackup, safetyBackup, ensurePrivateDir, type BackupSource, type CreateBackupOptions } from './createBackup.js'
export { readPassphrase } from './crypto.js'
export { defaultBackupDir, findBackup, listManifests, type Manifest } from './manifest.js'
export { pruneBackups, type PruneResult } from './prune.js'
export { decideRetention, type RetentionPolicy } from './retention.js'
export { restoreBackup, type RestoreResult, type RestoreStep } from './restore.js'
export { verifyBackup, type VerifyResult } from './verify.js'
