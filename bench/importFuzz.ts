/**
 * A mutation fuzzer for the importer: takes the real files in test/fixtures, mutates them
 * (bytes flipped, quotes, delimiters, newlines and BOMs inserted, lines cut, doubled and
 * spliced between files, vCard lines folded), and imports each one in-process with
 * importFile() into a temp database. Anything thrown that is not a CrmError is a finding.
 * Shared by bench/fuzz.ts (`npm run fuzz`) and test/reliability/importFuzz.test.ts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { ConfigSchema } from '../src/config/config.js'
import { openSqliteDb as openDb } from '../src/db/openDb.js'
import { CrmError } from '../src/errors.js'
import { importFile, type ImportOptions } from '../src/import/importFile.js'
import { seededRandom } from './crashHarness.js'

const ROOT = resolve(import.meta.dirname, import.meta.dirname.includes('/dist/') ? '../..' : '..')
const FIXTURES = join(ROOT, 'test/fixtures')

export interface Finding {
  case: number
  seed: number
  fixture: string
  mutations: string[]
  error: string
  /** The input that made it, saved for replay. */
  savedAs: string
}

export interface FuzzReport {
  cases: number
  cleanErrors: number
  imported: number
  bytesTried: number
  findings: Finding[]
  seconds: number
}

const HANG_MS = 30_000
const SPECIALS = ['"', ',', ';', '\t', '\n', '\r', '\r\n', '""', '\0', '\uFEFF', '=', 'BEGIN:VCARD\n', 'END:VCARD\n', '\\', '\u202E', '😀', 'é', '\uFFFD', ' ', '-', '+', '0', '9', '.', '/', ':', '@']
const MUTATORS = ['flip', 'insert', 'delete', 'truncate', 'duplicateLine', 'dropLine', 'swapLines', 'splice', 'longField', 'randomBytes', 'bom', 'number'] as const

type Mutator = (typeof MUTATORS)[number]

function mutate(input: Buffer, other: Buffer, random: () => number, name: Mutator): Buffer {
  const at = (n: number) => Math.floor(random() * n)
  const pos = at(input.length + 1)
  const str = input.toString('latin1')
  const lines = str.split('\n')
  switch (name) {
    case 'flip': {
      const out = Buffer.from(input)
      if (out.length > 0) {
        const i = at(out.length)
        out[i] = out[i]! ^ (1 << at(8))
      }
      return out
    }
    case 'insert':
      return Buffer.concat([input.subarray(0, pos), Buffer.from(SPECIALS[at(SPECIALS.length)]!), input.subarray(pos)])
    case 'delete':
      return Buffer.concat([input.subarray(0, pos), input.subarray(pos + 1 + at(20))])
    case 'truncate':
      return input.subarray(0, pos)
    case 'duplicateLine': {
      const i = at(lines.length)
      lines.splice(i, 0, lines[i] ?? '')
      return Buffer.from(lines.join('\n'), 'latin1')
    }
    case 'dropLine':
      lines.splice(at(lines.length), 1)
      return Buffer.from(lines.join('\n'), 'latin1')
    case 'swapLines': {
      const i = at(lines.length)
      const j = at(lines.length)
      ;[lines[i], lines[j]] = [lines[j]!, lines[i]!]
      return Buffer.from(lines.join('\n'), 'latin1')
    }
    case 'splice': {
      const cut = at(other.length + 1)
      return Buffer.concat([input.subarray(0, pos), other.subarray(cut, cut + at(400))])
    }
    case 'longField':
      return Buffer.concat([input.subarray(0, pos), Buffer.from('x'.repeat(1 + at(200_000))), input.subarray(pos)])
    case 'randomBytes': {
      const junk = Buffer.alloc(1 + at(64))
      for (let i = 0; i < junk.length; i++) junk[i] = at(256)
      return Buffer.concat([input.subarray(0, pos), junk, input.subarray(pos)])
    }
    case 'bom': {
      const boms = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])]
      return Buffer.concat([boms[at(boms.length)]!, input])
    }
    case 'number': {
      // Replace a run of digits with an extreme value: dates, amounts, scores.
      const extremes = ['0', '-1', '99999999999999999999', '1e308', 'NaN', '31', '2026-02-30', '9999-12-31', '-0', '0x10', '١٢٣']
      return Buffer.from(str.replace(/\d+/, () => extremes[at(extremes.length)]!), 'latin1')
    }
  }
}

export interface FuzzOptions {
  seed: number
  cases: number
  /** Where findings are saved (default: a temp folder kept only if there are findings). */
  findingsDir?: string
  log?: (line: string) => void
}

export async function fuzzImporter(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now()
  const work = mkdtempSync(join(tmpdir(), 'crm-fuzz-'))
  const findingsDir = options.findingsDir ?? join(work, 'findings')
  // Every fixture file, test/fixtures/exports/ included (the folder itself is no input).
  const files = (readdirSync(FIXTURES, { recursive: true }) as string[]).filter((f) => statSync(join(FIXTURES, f)).isFile()).sort()
  const inputs = files.map((f) => ({ name: f, data: readFileSync(join(FIXTURES, f)), ext: f.slice(f.lastIndexOf('.')) }))
  const config = ConfigSchema.parse({})
  const report: FuzzReport = { cases: 0, cleanErrors: 0, imported: 0, bytesTried: 0, findings: [], seconds: 0 }
  const crm = await openDb(join(work, 'fuzz.db'))
  try {
    for (let n = 0; n < options.cases; n++) {
      const caseSeed = (options.seed * 1_000_003 + n) >>> 0
      const random = seededRandom(caseSeed)
      const base = inputs[Math.floor(random() * inputs.length)]!
      const other = inputs[Math.floor(random() * inputs.length)]!
      let data: Buffer = base.data
      const mutations: string[] = []
      const count = 1 + Math.floor(random() * 4)
      for (let i = 0; i < count; i++) {
        const m = MUTATORS[Math.floor(random() * MUTATORS.length)]!
        mutations.push(m)
        data = mutate(data, other.data, random, m)
      }
      const file = join(work, `case${base.ext}`)
      writeFileSync(file, data)
      const importOptions: ImportOptions = {
        skipInvalid: random() < 0.5,
        dryRun: random() < 0.2,
        keepUnmatched: random() < 0.3,
        rejectsPath: join(work, 'rejects.csv'),
      }
      if (random() < 0.15) importOptions.dedupe = true
      report.cases++
      report.bytesTried += data.length
      try {
        let timer: NodeJS.Timeout | undefined
        const hang = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer after ${HANG_MS / 1000} s (a hang)`)), HANG_MS)
        })
        try {
          await Promise.race([importFile(crm, file, config, importOptions), hang])
        } finally {
          clearTimeout(timer)
        }
        report.imported++
      } catch (err) {
        if (err instanceof CrmError) {
          report.cleanErrors++
          continue
        }
        const savedAs = join(findingsDir, `case-${caseSeed}${base.ext}`)
        const { mkdirSync } = await import('node:fs')
        mkdirSync(findingsDir, { recursive: true })
        writeFileSync(savedAs, data)
        const e = err as Error
        const finding = { case: n, seed: caseSeed, fixture: base.name, mutations, error: `${e?.name}: ${e?.message}\n${(e?.stack ?? '').split('\n').slice(1, 4).join('\n')}`, savedAs }
        report.findings.push(finding)
        options.log?.(`finding: ${base.name} ${mutations.join('+')}: ${finding.error}`)
        // A hung import still holds its stream (and maybe a transaction): stop here.
        if ((e?.message ?? '').includes('(a hang)')) break
        if (crm.sqlite.inTransaction) crm.sqlite.exec('rollback')
      }
      if (options.log && n % 1000 === 999) options.log(`${n + 1} cases, ${report.findings.length} findings`)
    }
    const ok = crm.sqlite.pragma('integrity_check', { simple: true })
    if (ok !== 'ok') report.findings.push({ case: -1, seed: options.seed, fixture: '', mutations: [], error: `integrity_check: ${ok}`, savedAs: '' })
  } finally {
    await crm.close()
    report.seconds = (performance.now() - started) / 1000
    if (!options.findingsDir) rmSync(join(work, 'fuzz.db'), { force: true })
    if (report.findings.length === 0 || options.findingsDir) rmSync(work, { recursive: true, force: true })
  }
  return report
}
