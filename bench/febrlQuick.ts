// Iteration helper: FEBRL straight from CSV, no database. Not the benchmark.
import { readFileSync } from 'node:fs'
import { findDuplicateGroups } from '../src/dedupe/findDuplicateGroups.js'
import type { MatchInput } from '../src/dedupe/prepareRecord.js'
import { scorePairs } from './pairScore.js'

const file = process.argv[2]!
const withSsn = process.argv[3] === 'ssn'
const threshold = Number(process.argv[4] ?? 0.9)
const guard = process.argv[5] ? Number(process.argv[5]) : undefined
const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1)
const truth: string[] = []
const inputs: MatchInput[] = lines.map((line, i) => {
  const f = line.split(',').map((x) => x.trim())
  truth.push(f[0]!)
  const dob = f[9] ?? ''
  return {
    id: i + 1,
    first_name: f[1] || null,
    last_name: f[2] || null,
    email: null,
    phone: null,
    phone_e164: null,
    birth_date: dob.length === 8 ? `${dob.slice(0, 4)}-${dob.slice(4, 6)}-${dob.slice(6)}` : null,
    street: [f[3], f[4]].filter(Boolean).join(' ') + (f[5] ? `, ${f[5]}` : '') || null,
    city: f[6] || null,
    region: f[8] || null,
    postal_code: f[7] || null,
    extraIds: withSsn ? [f[10] || null] : [],
  }
})
const r = findDuplicateGroups(inputs, { extraIdNames: withSsn ? ['soc_sec_id'] : [], threshold, guard })
const entity = (id: number) => truth[id - 1]!.replace(/-(org|dup-\d+)$/, '')
const s = scorePairs(r.groups.map((g) => g.ids), inputs.map((x) => x.id), entity)
console.log(JSON.stringify({ ...s, candidates: r.stats.candidatePairs, seconds: r.stats.seconds, prior: r.model.priorWeight }))
if (process.env.SHOW) {
  console.log(r.model.comparisons.map((c, i) => `${c.name}: ${c.levels.map((l, k) => `${l} m=${r.model.m[i]![k]!.toFixed(3)} u=${r.model.u[i]![k]!.toFixed(4)}`).join(' | ')}`).join('\n'))
  for (const g of r.groups) {
    const ents = new Set(g.ids.map(entity))
    if (ents.size > 1) console.log('FP', g.ids.map((i) => truth[i - 1]).join(' '), g.score.toFixed(3), g.reasons.join('; '))
  }
}
if (process.env.FN) {
  const groupOf = new Map<number, number>()
  r.groups.forEach((g, k) => g.ids.forEach((id) => groupOf.set(id, k)))
  const byEntity = new Map<string, number[]>()
  for (const x of inputs) byEntity.set(entity(x.id), [...(byEntity.get(entity(x.id)) ?? []), x.id])
  const { scorePair, probabilityOf } = await import('../src/dedupe/fellegiSunter.js')
  const { explainPair } = await import('../src/dedupe/explain.js')
  for (const ids of byEntity.values()) {
    for (let i = 0; i < ids.length; i++)
      for (let j = i + 1; j < ids.length; j++) {
        const a = ids[i]!, b = ids[j]!
        if (groupOf.has(a) && groupOf.get(a) === groupOf.get(b)) continue
        const s = scorePair(r.model, r.records[a - 1]!, r.records[b - 1]!)
        console.log('FN', truth[a - 1], truth[b - 1], probabilityOf(s.weight).toFixed(3), explainPair(r.model, r.records[a - 1]!, r.records[b - 1]!, s).join('; '))
      }
  }
}
