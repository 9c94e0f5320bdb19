#!/usr/bin/env node
// The executable only loads the compiled CLI; all work lives in dist/src/cli.
import('../dist/src/cli/main.js').then((m) => m.main(process.argv))
