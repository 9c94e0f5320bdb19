/**
 * Korean family names and their romanisations, one group per name (as nameKey() leaves them):
 * the Revised Romanization first, then McCune–Reischauer and the spellings people use in
 * passports and abroad. One person writes 이 as Lee on one form and Yi on another.
 *
 * The names are the most common in the South Korean census (Kim, Lee and Park alone are
 * about 44% of people); their spellings are from Wikipedia's "List of Korean surnames"
 * (its Revised Romanization, McCune–Reischauer and "common spellings" columns). Spellings that are another common family name are left out (Jun is
 * 전 and 준; Chun is 전 and 천; Yu is 유 and 류), so no group joins two families.
 */
export const KOREAN_SURNAME_GROUPS: readonly string[] = [
  'gim kim',
  'i yi lee rhee ri',
  'bak park pak bahk',
  'choe choi chwe',
  'jeong jung chung cheong',
  'gang kang',
  'jo cho',
  'yun yoon youn',
  'jang chang',
  'im lim rim',
  'o oh',
  'seo suh',
  'sin shin',
  'gwon kwon',
  'hwang whang',
  'an ahn',
  'go ko koh',
  'mun moon',
  'son sohn',
  'bae pae',
  'baek paek baik',
  'heo hur huh',
  'no noh roh',
  'gu koo ku',
  'gwak kwak',
  'seong sung',
  'ju joo',
  'u woo',
  'eom um uhm',
]
