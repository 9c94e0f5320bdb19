import type { Gender } from '../../db/schema.js'
import { fold } from '../../text/fold.js'
import { ParseError } from './dates.js'

// Folded spellings seen in real files, in the languages our users write.
const GENDERS: Record<string, Gender> = {
  f: 'f', female: 'f', w: 'f', woman: 'f', women: 'f', frau: 'f', weiblich: 'f', femme: 'f', feminin: 'f', mujer: 'f', femenino: 'f',
  donna: 'f', zh: 'f', zhenskii: 'f', zhenskiy: 'f', 'zhen.': 'f', miss: 'f', mrs: 'f', ms: 'f', nu: 'f', zan: 'f',
  m: 'm', male: 'm', man: 'm', men: 'm', herr: 'm', mannlich: 'm', maennlich: 'm', homme: 'm', masculin: 'm', hombre: 'm',
  masculino: 'm', uomo: 'm', muzhskoi: 'm', muzhskoy: 'm', 'muzh.': 'm', mr: 'm', nam: 'm', mard: 'm',
  x: 'x', d: 'x', other: 'x', diverse: 'x', divers: 'x', nonbinary: 'x', 'non-binary': 'x', nb: 'x', autre: 'x', otro: 'x',
}

/** f, m or x from the common spellings (Female, W, Frau, ж, Nữ…); empty and "unknown" give null. */
export function parseGender(text: string): Gender | null | ParseError {
  const key = fold(text).replace(/\.$/, '')
  if (key === '' || key === 'u' || key === 'unknown' || key === 'n/a' || key === '-' || key === '?') return null
  if (text.trim() === 'ж' || text.trim() === 'Ж') return 'f'
  if (text.trim() === 'м' || text.trim() === 'М') return 'm'
  const g = GENDERS[key]
  if (!g) return new ParseError(`"${text}" is not a gender (use f, m or x)`)
  return g
}
