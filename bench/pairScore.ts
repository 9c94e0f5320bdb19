/** Pair precision, recall and F1 of predicted groups against the true entity of each record. */
export interface PairScore {
  truePairs: number
  predictedPairs: number
  correctPairs: number
  precision: number
  recall: number
  f1: number
}

export function scorePairs(groups: number[][], allIds: number[], entityOf: (id: number) => string): PairScore {
  const sizes = new Map<string, number>()
  for (const id of allIds) {
    const e = entityOf(id)
    sizes.set(e, (sizes.get(e) ?? 0) + 1)
  }
  let truePairs = 0
  for (const n of sizes.values()) truePairs += (n * (n - 1)) / 2
  let predictedPairs = 0
  let correctPairs = 0
  for (const g of groups) {
    predictedPairs += (g.length * (g.length - 1)) / 2
    const byEntity = new Map<string, number>()
    for (const id of g) byEntity.set(entityOf(id), (byEntity.get(entityOf(id)) ?? 0) + 1)
    for (const n of byEntity.values()) correctPairs += (n * (n - 1)) / 2
  }
  const precision = predictedPairs ? correctPairs / predictedPairs : 1
  const recall = truePairs ? correctPairs / truePairs : 1
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0
  return { truePairs, predictedPairs, correctPairs, precision, recall, f1 }
}
