#!/usr/bin/env node
// The executable only loads the compiled CLI: the bundle `npm run build` makes (fast start),
// else tsc's module tree (the same code, one file per module).
import { existsSync } from 'node:fs'

const bundle = new URL('../dist/bundle/crm.js', import.meta.url)
const entry = existsSync(bundle) ? bundle.href : new URL('../dist/src/cli/main.js', import.meta.url).href
import(entry).then((m) => m.main(process.argv))
