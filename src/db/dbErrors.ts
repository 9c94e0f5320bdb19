import { CrmError } from '../errors.js'

// Kept apart from openDb.ts (which loads Kysely) so the raw SQLite opener and the quick
// `query --count` path report errors in the same words without loading it.

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@]*@/i, '$1:***@')
}

/** Turns better-sqlite3's errors into one line a user can act on. */
export function translateSqliteError(err: unknown, target: string): unknown {
  if (err instanceof CrmError) return err
  const code = (err as { code?: string }).code
  const message = (err as Error).message
  switch (code) {
    case 'SQLITE_NOTADB':
      return new CrmError(`${target}: not a crm database (not an SQLite file)`, 1, { cause: err })
    case 'SQLITE_CORRUPT':
      return new CrmError(`${target}: the database is damaged (${message}); restore a backup with crm restore`, 1, { cause: err })
    case 'SQLITE_READONLY':
    case 'SQLITE_CANTOPEN':
    case 'SQLITE_PERM':
      return new CrmError(`${target}: cannot write the database (${message}); check the file's permissions`, 1, { cause: err })
    case 'SQLITE_FULL':
      return new CrmError(`${target}: the disk is full; nothing was written`, 1, { cause: err })
    case 'SQLITE_BUSY':
      return new CrmError(`${target}: another crm process kept the database busy too long; try again`, 1, { cause: err })
    case 'SQLITE_IOERR':
      return new CrmError(`${target}: input/output error (${message})`, 1, { cause: err })
    // PostgreSQL (SQLSTATE codes): the transaction was rolled back, nothing was written.
    case '40P01':
    case '40001':
      return new CrmError(`${redactUrl(target)}: another crm process conflicted with this one (${message}); nothing was written, try again`, 1, { cause: err })
    case '23505':
      return new CrmError(`${redactUrl(target)}: ${message}; nothing was written`, 1, { cause: err })
    // A row this command read was removed by another process before it wrote (a merge, an rm).
    case '23503':
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new CrmError(`${redactUrl(target)}: a row this command refers to no longer exists, most likely removed or merged by another crm process meanwhile (${message}); nothing was written, try again`, 1, { cause: err })
    case '57P01':
    case '08006':
    case 'ECONNRESET':
    case 'ECONNREFUSED':
      return new CrmError(`${redactUrl(target)}: lost the connection to PostgreSQL (${message}); nothing was committed`, 1, { cause: err })
    default:
      return err
  }
}
