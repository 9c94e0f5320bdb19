import { describe, expect, test } from 'vitest'
import { ParseError } from '../../src/import/parse/dates.js'
import { genderWords, parseGender } from '../../src/import/parse/gender.js'

// One test per language: full words, their capitalised and abbreviated forms, the one-letter forms.
const LANGUAGES: Array<[string, { f: string[]; m: string[]; x?: string[] }]> = [
  ['English', { f: ['F', 'female', 'Woman', 'Mrs.'], m: ['M', 'male', 'Man', 'Mr'], x: ['X', 'other', 'non-binary'] }],
  ['German', { f: ['W', 'weiblich', 'Weiblich', 'Frau'], m: ['m', 'männlich', 'MÄNNLICH', 'maennlich'], x: ['d', 'D', 'divers'] }],
  ['French', { f: ['f', 'F', 'femme', 'Femme', 'féminin'], m: ['h', 'H', 'homme', 'Homme', 'masculin'], x: ['autre'] }],
  ['Spanish', { f: ['mujer', 'Mujer', 'femenino', 'F'], m: ['hombre', 'Hombre', 'masculino', 'H', 'M'], x: ['otro'] }],
  ['Portuguese', { f: ['mulher', 'feminino', 'Feminino'], m: ['homem', 'masculino', 'M'], x: ['outro'] }],
  ['Russian', { f: ['ж', 'Ж', 'жен', 'Жен.', 'женский', 'Женский', 'ЖЕНЩИНА'], m: ['м', 'М', 'муж', 'муж.', 'мужской', 'Мужской', 'мужчина'] }],
  ['Vietnamese', { f: ['nữ', 'Nữ', 'NỮ', 'Nu'], m: ['nam', 'Nam', 'NAM'] }],
  ['Tagalog', { f: ['babae', 'Babae'], m: ['lalaki', 'Lalaki', 'lalake'] }],
  ['Afrikaans', { f: ['vrou', 'Vrou', 'vroulik'], m: ['man', 'Man', 'manlik'] }],
  ['Persian', { f: ['زن', ' زن ', 'خانم'], m: ['مرد', 'آقا'] }],
  ['Turkish', { f: ['k', 'K', 'kadın', 'Kadın', 'KADIN', 'kadin'], m: ['e', 'E', 'erkek', 'Erkek', 'ERKEK'] }],
  ['Polish', { f: ['k', 'K', 'kobieta', 'Kobieta', 'żeński'], m: ['m', 'M', 'mężczyzna', 'Mężczyzna', 'męski'] }],
]

describe('gender words, one table', () => {
  test.each(LANGUAGES)('%s', (_lang, words) => {
    for (const w of words.f) expect(parseGender(w), w).toBe('f')
    for (const w of words.m) expect(parseGender(w), w).toBe('m')
    for (const w of words.x ?? []) expect(parseGender(w), w).toBe('x')
  })

  test('every language of the issue has its words in the table', () => {
    const langs = Object.keys(genderWords())
    for (const [lang] of LANGUAGES) expect(langs).toContain(lang)
  })

  test('no word means two genders, before or after transliteration (the table is built without conflict)', () => {
    // parseGender builds both lookup tables on first use and throws on a conflicting word.
    expect(() => parseGender('f')).not.toThrow()
    for (const [, words] of Object.entries(genderWords())) {
      for (const w of words.f) expect(parseGender(w), w).toBe('f')
      for (const w of words.m) expect(parseGender(w), w).toBe('m')
    }
  })

  test('empty spellings are no gender, not an error', () => {
    for (const e of ['', '  ', 'Unspecified', 'Not specified', 'unknown', 'N/A', '-', 'none', 'U', 'keine Angabe', 'не указан']) {
      expect(parseGender(e), e).toBeNull()
    }
  })

  test('a word in no language is an error naming the value', () => {
    // ě and ć are м and ж read in the wrong code page: not Turkish e, whatever their ASCII look.
    for (const bad of ['banana', 'q', 'мж', 'femal', 'ě', 'ć', 'é']) {
      const g = parseGender(bad)
      expect(g, bad).toBeInstanceOf(ParseError)
      expect((g as ParseError).reason).toContain(`"${bad}" is not a gender`)
    }
  })
})
