import { createRequire } from 'node:module'

// talisman ships CommonJS without type declarations; load the few functions we use
// once, typed narrowly, so the rest of dedupe imports plain functions.
const require = createRequire(import.meta.url)

/** Jaro-Winkler similarity in [0, 1] (talisman, boost threshold 0.7, scaling 0.1). */
export const jaroWinkler = require('talisman/metrics/jaro-winkler.js') as (a: string, b: string) => number

/** Optimal-string-alignment (restricted Damerau-Levenshtein) edit distance. */
export const damerauLevenshtein = require('talisman/metrics/damerau-levenshtein.js') as (a: string, b: string) => number

/** Double metaphone: [primary, alternate] codes. */
export const doubleMetaphone = require('talisman/phonetics/double-metaphone.js') as (word: string) => [string, string]
