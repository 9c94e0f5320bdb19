#!/usr/bin/env node
// The executable only loads the compiled CLI. It and the bundle `npm run build` makes are
// CommonJS (bin/package.json says so for this file), so a command never starts Node's ES
// module loader (issue 18). `crm query --count` is tried first from dist/bundle/quick.cjs
// (src/cli/quickEntry.ts), which shares its chunks with dist/bundle/crm.cjs; without a
// bundle, tsc's module tree runs (the same code, one ES module per file).
'use strict'
const { existsSync } = require('node:fs')
const path = require('node:path')
const { pathToFileURL } = require('node:url')

const bundle = path.join(__dirname, '..', 'dist', 'bundle')
if (existsSync(path.join(bundle, 'crm.cjs'))) {
  require(path.join(bundle, 'quick.cjs'))
    .quickMain(process.argv)
    .then((answered) => answered || require(path.join(bundle, 'crm.cjs')).main(process.argv))
} else {
  import(pathToFileURL(path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js')).href).then((m) => m.main(process.argv))
}
