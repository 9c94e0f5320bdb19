// Bundles the compiled CLI (dist/src/cli/main.js) and the migrations into dist/bundle/,
// so `crm` starts from a few files instead of ~530 ES modules (kysely alone is 262).
// The bundle is CommonJS: bin/crm.js require()s it, and Node's ES module loader never starts,
// which costs a process about 35 ms of CPU (issue 18, docs/benchmarks.md). tsc's dist/src
// stays as it is (ES modules) for the worker threads, the benchmarks and anything that
// imports a module by path.
import { readdirSync, rmSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'rolldown'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const dist = path.join(root, 'dist')
const out = path.join(dist, 'bundle')

// Every pure-JS package goes in the bundle. These stay runtime requires from node_modules:
// native code (better-sqlite3), packages that read data files that sit beside them (pdfkit's
// font metrics, the DejaVu fonts), big ones only a few commands load (pg, talisman) and
// any-ascii, which src/text/fold.ts loads with require() on the first non-ASCII text.
const runtime = new Set(['better-sqlite3', 'pg', 'pdfkit', 'dejavu-fonts-ttf', 'talisman', 'any-ascii'])
const packageOf = (id) => (id.startsWith('@') ? id.split('/').slice(0, 2).join('/') : id.split('/')[0])
const isBare = (id) => !id.startsWith('.') && !path.isAbsolute(id) && !id.startsWith('\0')

// crm.cjs is the CLI; quick.cjs answers `crm query --count` alone (src/cli/quickEntry.ts),
// which bin/crm.js tries first. Built together, they share their chunks: when the quick
// path declines, main() reuses what it loaded. The migrations are entries too (.cjs), so
// they share the CLI's one copy of Kysely.
const input = {
  crm: path.join(dist, 'src/cli/main.js'),
  quick: path.join(dist, 'src/cli/quickEntry.js'),
}
for (const file of readdirSync(path.join(dist, 'migrations'))) {
  if (file.endsWith('.js')) input[`migrations/${file.slice(0, -3)}`] = path.join(dist, 'migrations', file)
}

rmSync(out, { recursive: true, force: true })
const result = await build({
  input,
  platform: 'node',
  external: (id) => id.startsWith('node:') || (isBare(id) && runtime.has(packageOf(id))),
  logLevel: 'warn',
  // A module both imported and loaded with import() elsewhere is fine as it is.
  checks: { ineffectiveDynamicImport: false },
  output: {
    dir: out,
    format: 'cjs',
    entryFileNames: '[name].cjs',
    chunkFileNames: 'chunks/[name]-[hash].cjs',
    sourcemap: false,
  },
})

// Which npm packages and which of crm's own modules each bundle file holds:
// test/cli/startup.test.ts reads them to check that a command loads only the packages and
// command modules it uses (kysely and zod are bundled, so the loaded file names alone do not say).
const packages = {}
const modules = {}
for (const chunk of result.output) {
  if (chunk.type !== 'chunk') continue
  const names = new Set()
  const own = []
  for (const id of chunk.moduleIds) {
    const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(id)
    if (m) names.add(m[1].replace('\\', '/'))
    else if (path.isAbsolute(id) && id.startsWith(dist + path.sep)) own.push(path.relative(dist, id).split(path.sep).join('/'))
  }
  packages[chunk.fileName] = [...names].sort()
  modules[chunk.fileName] = own.sort()
}
writeFileSync(path.join(out, 'packages.json'), JSON.stringify(packages, null, 2) + '\n')
writeFileSync(path.join(out, 'modules.json'), JSON.stringify(modules, null, 2) + '\n')
