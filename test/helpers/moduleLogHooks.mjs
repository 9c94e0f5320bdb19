// Loader hooks for moduleLog.mjs. They run on Node's loader thread, which sees the same
// environment; every ES module and every CommonJS package imported from one passes here.
import { appendFileSync } from 'node:fs'

export async function load(url, context, next) {
  if (process.env.CRM_MODULE_LOG) appendFileSync(process.env.CRM_MODULE_LOG, url + '\n')
  return next(url, context)
}
