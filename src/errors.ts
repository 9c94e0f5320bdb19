/**
 * An expected failure: bad input, a missing customer, a refused action.
 * The CLI prints `crm: <message>` and exits with `exitCode`; no stack trace.
 */
export class CrmError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
    options?: ErrorOptions,
  ) {
    super(message, options)
    this.name = 'CrmError'
  }
}

/** A usage error (bad flag value, unknown field name): exit code 2. */
export class UsageError extends CrmError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, 2, options)
    this.name = 'UsageError'
  }
}
