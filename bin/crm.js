#!/usr/bin/env node
// The executable only loads the compiled CLI. It is CommonJS (bin/package.json says so) so
// that `crm query --count` is answered from dist/bundle/quick.cjs without starting Node's ES
// module loader (src/cli/quickEntry.ts); every other command line loads the ES module bundle
// `npm run build` makes (fast start), else tsc's module tree (the same code, one file per module).
'use strict'
const { existsSync } = require('node:fs')
const path = require('node:path')
const { pathToFileURL } = require('node:url')

const dist = path.join(__dirname, '..', 'dist')
const bundle = path.join(dist, 'bundle', 'crm.js')
const entry = existsSync(bundle) ? bundle : path.join(dist, 'src', 'cli', 'main.js')
const run = () => import(pathToFileURL(entry).href).then((m) => m.main(process.argv))
const quick = path.join(dist, 'bundle', 'quick.cjs')
if (existsSync(quick)) require(quick).quickMain(process.argv).then((answered) => answered || run())
else run()
