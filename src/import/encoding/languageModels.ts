/**
 * How often each non-ASCII letter occurs in the languages whose files reach crm in an
 * 8-bit code page, in percent of all letters. ASCII letters decode alike in every code
 * page, so only the letters above 0x7F tell code pages apart, and only they are listed.
 *
 * Sources: the "Letter frequency" article of the English Wikipedia (its table of
 * diacritics for French, German, Spanish, Portuguese, Italian, Turkish, Swedish, Polish,
 * Dutch, Danish, Finnish, Czech, Hungarian) and the per-language Wikipedia letter-frequency
 * tables for Russian, Ukrainian, Bulgarian, Greek, Hebrew and Arabic; figures for the
 * other languages (Finnish š and ž in loan words, Slovak, Croatian, Romanian, the Baltic languages, Serbian, Persian,
 * Vietnamese, Afrikaans, Catalan) are rounded estimates from a few pages of text. Only the
 * order of magnitude matters: a letter in the table against one missing from it.
 */
export type Script = 'Latin' | 'Cyrillic' | 'Greek' | 'Hebrew' | 'Arabic'

export interface LanguageModel {
  language: string
  script: Script
  /** Lower-case letter (or combining mark) → its share of all letters (0–1). */
  letters: ReadonlyMap<string, number>
  /**
   * The share of ASCII letters. In a Latin-script language, what its accented letters leave
   * (a text with one é among 200 plain letters is French, not Latvian). In other scripts
   * a customer file's ASCII letters are e-mail addresses, headers and company names: foreign
   * text that says nothing about the language, so they cost nothing (share 1).
   */
  asciiShare: number
}

function model(language: string, script: Script, table: string): LanguageModel {
  const percent = new Map<string, number>()
  for (const pair of table.trim().split(/\s+/)) {
    const at = pair.lastIndexOf(':')
    percent.set(pair.slice(0, at), Number(pair.slice(at + 1)))
  }
  const accented = [...percent.values()].reduce((a, b) => a + b, 0) / 100
  const asciiShare = script === 'Latin' ? 1 - accented : 1
  const scale = script === 'Latin' ? 1 / 100 : 1 / 100 / accented
  const letters = new Map([...percent].map(([letter, pct]) => [letter, pct * scale]))
  return { language, script, letters, asciiShare }
}

export const LANGUAGE_MODELS: readonly LanguageModel[] = [
  model('German', 'Latin', 'ä:0.58 ö:0.44 ü:1.0 ß:0.31 é:0.02'),
  model('French', 'Latin', 'é:1.5 è:0.27 ê:0.22 à:0.49 â:0.05 ç:0.09 î:0.05 ï:0.01 ô:0.02 û:0.06 ù:0.06 ë:0.01 œ:0.02 æ:0.001 ÿ:0.001'),
  model('Spanish', 'Latin', 'á:0.5 é:0.43 í:0.73 ñ:0.31 ó:0.83 ú:0.17 ü:0.01'),
  model('Portuguese', 'Latin', 'á:0.12 à:0.07 â:0.56 ã:0.73 ç:0.53 é:0.34 ê:0.45 í:0.13 ó:0.3 ô:0.64 õ:0.04 ú:0.21 ü:0.03'),
  model('Italian', 'Latin', 'à:0.64 è:0.26 é:0.1 ì:0.03 ò:0.1 ó:0.01 ù:0.17'),
  model('Catalan', 'Latin', 'à:0.5 è:0.4 é:0.4 í:0.5 ï:0.05 ò:0.3 ó:0.3 ú:0.1 ü:0.05 ç:0.3'),
  model('Dutch', 'Latin', 'é:0.02 ë:0.02 ï:0.01 ö:0.01 ü:0.01'),
  model('Afrikaans', 'Latin', 'ê:0.5 ë:0.3 é:0.1 ô:0.05 ï:0.05 û:0.02 è:0.01'),
  model('Swedish', 'Latin', 'å:1.34 ä:1.8 ö:1.31 é:0.05'),
  model('Danish', 'Latin', 'æ:0.87 ø:0.94 å:1.19 é:0.03'),
  model('Finnish', 'Latin', 'ä:3.58 ö:0.44 å:0.01 š:0.01 ž:0.01'),
  model('Polish', 'Latin', 'ą:0.7 ć:0.74 ę:1.04 ł:2.11 ń:0.36 ó:1.14 ś:0.81 ź:0.08 ż:0.71'),
  model('Czech', 'Latin', 'á:0.87 č:0.46 ď:0.02 é:0.63 ě:1.22 í:1.64 ň:0.08 ó:0.02 ř:0.38 š:0.69 ť:0.01 ú:0.05 ů:0.2 ý:1.0 ž:0.72'),
  model('Slovak', 'Latin', 'á:2.0 ä:0.1 č:1.0 ď:0.1 é:0.8 í:1.5 ĺ:0.01 ľ:0.4 ň:0.1 ó:0.2 ô:0.2 ŕ:0.01 š:0.9 ť:0.4 ú:0.6 ý:1.2 ž:0.8'),
  model('Hungarian', 'Latin', 'á:3.4 é:4.0 í:0.6 ó:0.9 ö:1.0 ő:0.8 ú:0.3 ü:0.6 ű:0.1'),
  model('Croatian', 'Latin', 'č:1.0 ć:0.6 đ:0.3 š:0.9 ž:0.7'),
  model('Romanian', 'Latin', 'ă:2.5 â:0.8 î:1.0 ş:1.3 ţ:1.0'),
  model('Turkish', 'Latin', 'ç:1.16 ğ:1.13 ı:5.11 İ:1.0 ö:0.78 ş:1.78 ü:1.85 â:0.1 î:0.02 û:0.02'),
  model('Lithuanian', 'Latin', 'ą:0.6 č:0.4 ę:0.2 ė:1.6 į:0.7 š:1.2 ų:0.6 ū:0.6 ž:0.9'),
  model('Latvian', 'Latin', 'ā:4.0 č:0.3 ē:1.7 ģ:0.2 ī:1.6 ķ:0.2 ļ:0.3 ņ:0.5 š:0.9 ū:0.6 ž:0.4'),
  model('Estonian', 'Latin', 'ä:1.0 õ:0.9 ö:0.3 ü:0.9 š:0.02 ž:0.01'),
  // Windows-1258 writes most tones as combining marks after the letter (U+0300 grave,
  // U+0301 acute, U+0303 tilde, U+0309 hook above, U+0323 dot below).
  model(
    'Vietnamese',
    'Latin',
    'ă:0.8 â:1.2 đ:1.5 ê:1.2 ô:1.0 ơ:0.9 ư:1.9 \u0300:1.5 \u0301:2.0 \u0303:0.6 \u0309:1.0 \u0323:2.0 à:0.4 á:0.5 è:0.1 é:0.2 í:0.3 ó:0.3 ù:0.1 ú:0.2',
  ),
  model(
    'Russian',
    'Cyrillic',
    'о:10.97 е:8.45 а:8.01 и:7.35 н:6.7 т:6.26 с:5.47 р:4.73 в:4.54 л:4.4 к:3.49 м:3.21 д:2.98 п:2.81 у:2.62 я:2.01 ы:1.9 ь:1.74 г:1.7 з:1.65 б:1.59 ч:1.44 й:1.21 х:0.97 ж:0.94 ш:0.73 ю:0.64 ц:0.48 щ:0.36 э:0.32 ф:0.26 ъ:0.04 ё:0.04',
  ),
  model(
    'Ukrainian',
    'Cyrillic',
    'о:9.4 а:8.6 н:7.1 і:5.6 и:6.1 в:5.2 р:4.8 т:4.9 е:4.9 с:4.3 к:3.6 л:3.6 у:3.4 д:3.3 м:3.0 п:2.9 я:2.3 з:2.2 ь:1.6 б:1.6 г:1.3 ч:1.2 х:1.1 ц:0.9 й:0.9 ж:0.8 ш:0.8 ї:0.8 ю:0.8 є:0.4 ф:0.2 щ:0.2 ґ:0.02',
  ),
  model(
    'Bulgarian',
    'Cyrillic',
    'а:9.0 о:8.6 е:8.4 и:7.9 н:6.9 т:7.0 р:5.3 с:4.6 в:4.3 л:3.3 к:3.6 д:3.3 п:2.9 м:2.7 з:1.9 у:1.5 я:2.2 ъ:2.1 б:1.3 г:1.6 ч:1.3 ж:0.7 х:0.6 ц:0.7 ш:0.7 щ:0.9 й:0.6 ю:0.3 ь:0.03 ф:0.2',
  ),
  model(
    'Serbian',
    'Cyrillic',
    'а:11 и:9.5 о:9 е:8.5 н:5.5 р:5 т:4.5 ј:5 с:5 у:4.5 к:3.5 в:3.5 д:3.5 л:3 м:3 п:3 з:2 г:1.8 б:1.5 ч:1.2 ш:1 ћ:1 њ:0.8 ж:0.8 ц:0.7 х:0.5 љ:0.5 ђ:0.2 џ:0.1 ф:0.2',
  ),
  model(
    'Greek',
    'Greek',
    'α:12.0 ο:9.8 ι:8.5 ε:8.0 τ:7.9 σ:4.8 ς:2.6 ν:6.9 η:4.9 υ:4.1 ρ:4.6 π:4.1 κ:4.0 μ:3.3 λ:2.7 ω:1.4 δ:1.8 γ:1.8 χ:1.2 θ:1.4 φ:0.8 β:0.7 ξ:0.5 ζ:0.4 ψ:0.1 ά:2.0 έ:1.6 ή:1.0 ί:1.6 ό:1.6 ύ:0.7 ώ:0.8 ϊ:0.05 ϋ:0.02 ΐ:0.01 ΰ:0.01',
  ),
  model(
    'Hebrew',
    'Hebrew',
    'י:11 ו:10 ה:9 ל:7 מ:6 א:6 ר:5.5 ת:5 ב:4.5 ש:4 נ:4 ד:3 כ:2.5 ע:2.5 ח:2.3 ק:2 ם:2.5 פ:1.5 ן:1.3 ס:1.2 ג:1.2 ט:1.1 צ:1.1 ז:0.9 ך:0.5 ף:0.3 ץ:0.2',
  ),
  model(
    'Arabic',
    'Arabic',
    'ا:12 ل:11 ي:7 م:6 و:6 ن:6 ه:4.5 ر:4.5 ب:4 ت:4 ع:3.5 ة:3 د:3 ف:3 ق:2.5 س:2.5 ك:2.5 ح:2 أ:3 ج:1.3 إ:1.5 ى:1.5 ش:1 خ:1 ص:1 ط:1 ذ:0.8 ث:0.6 ض:0.5 ز:0.5 غ:0.4 ئ:0.5 آ:0.2 ظ:0.2 ء:0.5 ؤ:0.2',
  ),
  // Persian as Windows-1256 writes it: Arabic ي and ك for ی and ک, which it cannot hold.
  model(
    'Persian',
    'Arabic',
    'ا:11 ي:9 ر:6 د:6 ن:6 م:5.5 و:5.5 ه:5 ب:4 ت:3.5 س:3 ك:3 ل:3 ز:2 ش:1.8 گ:1.2 ف:1.2 خ:1.3 ج:1 ق:0.8 ع:1 پ:0.8 ح:0.6 چ:0.5 آ:1 ص:0.4 ط:0.3 غ:0.3 ذ:0.2 ظ:0.1 ث:0.1 ض:0.1 ژ:0.05 ئ:0.2 أ:0.2 ؤ:0.05 ء:0.1',
  ),
]
