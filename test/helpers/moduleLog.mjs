// `node --import ./moduleLog.mjs …` with CRM_MODULE_LOG=FILE: appends the URL of every
// module the program loads to FILE, one a line (test/cli/startup.test.ts).
import { register } from 'node:module'

register('./moduleLogHooks.mjs', import.meta.url)
