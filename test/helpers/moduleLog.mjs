// `node --import ./moduleLog.mjs …` with CRM_MODULE_LOG=FILE: appends the URL of every
// module the program loads to FILE, one a line (test/cli/startup.test.ts): ES modules
// through the loader hooks, and whatever require() loads (any-ascii, which src/text/fold.ts
// requires on the first non-ASCII text; better-sqlite3's own files), which those hooks miss.
import { appendFileSync } from 'node:fs'
import Module, { register } from 'node:module'
import { pathToFileURL } from 'node:url'

register('./moduleLogHooks.mjs', import.meta.url)

const log = process.env.CRM_MODULE_LOG
if (log) {
  const require = Module.prototype.require
  Module.prototype.require = function (id) {
    if (!id.startsWith('node:') && !Module.isBuiltin(id)) {
      try {
        appendFileSync(log, pathToFileURL(Module._resolveFilename(id, this)).href + '\n')
      } catch {
        // Unresolvable: require() itself reports it.
      }
    }
    return require.call(this, id)
  }
}
