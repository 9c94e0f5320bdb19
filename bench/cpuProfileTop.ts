/**
 * The frames that spent the most CPU in `node --cpu-prof` profiles, by self time: what
 * docs/benchmarks.md quotes as "top ten frames". One table per profile (each thread of a
 * process writes its own .cpuprofile).
 *
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof bin/crm.js --db /tmp/x.db import customers.csv --quiet
 *   node dist/bench/cpuProfileTop.js /tmp/prof/*.cpuprofile [--top 10]
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { parseArgs } from 'node:util'

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
}
interface CpuProfile {
  nodes: ProfileNode[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Self time in milliseconds per frame (function, file, line), summed over every call path. */
export function selfTimes(profile: CpuProfile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  const times = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const f = byId.get(id)!.callFrame
    const where = f.url ? `${shortUrl(f.url)}:${f.lineNumber + 1}` : ''
    const key = `${f.functionName || '(anonymous)'} ${where}`.trim()
    times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  return times
}

/** node_modules/<package>/… or the path below dist/ (the module that code came from). */
function shortUrl(url: string): string {
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) return url.slice(nm + 'node_modules/'.length)
  const d = url.lastIndexOf('/dist/')
  if (d >= 0) return url.slice(d + '/dist/'.length)
  return url.replace(/^node:/, '')
}

function main(): void {
  const { values, positionals } = parseArgs({ options: { top: { type: 'string', default: '10' } }, allowPositionals: true })
  const top = Number(values.top)
  for (const file of positionals) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile
    const times = selfTimes(profile)
    const total = [...times.values()].reduce((a, b) => a + b, 0)
    const idle = times.get('(idle)') ?? 0
    console.log(`\n${basename(file)}: ${(total / 1000).toFixed(1)} s sampled, ${(idle / 1000).toFixed(1)} s idle`)
    console.log('| self | % | frame |\n|---:|---:|---|')
    const rows = [...times.entries()].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)
    for (const [frame, ms] of rows) console.log(`| ${(ms / 1000).toFixed(2)} s | ${((100 * ms) / total).toFixed(1)} | \`${frame}\` |`)
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main()
