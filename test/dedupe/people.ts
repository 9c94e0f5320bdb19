import type { MatchInput } from '../../src/dedupe/prepareRecord.js'

const FIRST = ['anna', 'ben', 'carla', 'dmitri', 'elena', 'felix', 'greta', 'hugo', 'ines', 'jonas', 'karin', 'lars', 'mia', 'nils', 'olga', 'paul']
const LAST = ['schulz', 'berger', 'novak', 'ivanov', 'rossi', 'garcia', 'moreau', 'lindqvist', 'okafor', 'tanaka', 'silva', 'kowalski', 'haddad', 'murphy']
const STREETS = ['oak lane', 'main street', 'birch road', 'harbour view', 'mill close', 'station road']

/** 200 distinct people, deterministic, plus a few duplicates of known kinds. */
export function people(): MatchInput[] {
  const out: MatchInput[] = []
  for (let i = 0; i < 200; i++) {
    out.push({
      id: i + 1,
      first_name: FIRST[i % FIRST.length]!,
      last_name: LAST[(i * 7) % LAST.length]! + (i % 3 === 0 ? '' : ['son', 'er', 'ová'][i % 3]),
      email: `user${i}@example.com`,
      phone: `+4930${String(1000000 + i * 7919).slice(0, 7)}`,
      phone_e164: null,
      birth_date: `19${50 + (i % 40)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
      street: `${1 + (i % 90)} ${STREETS[i % STREETS.length]}`,
      city: ['Berlin', 'Hamburg', 'Köln', 'München'][i % 4]!,
      region: null,
      postal_code: String(10000 + i * 37),
    })
  }
  return out
}
