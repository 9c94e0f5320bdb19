let segmenter: Intl.Segmenter | undefined

/**
 * The user-perceived characters of a text. The segmenter is made on first use, not when
 * the module loads: making one reads ICU's break rules (about 15 ms), which a command
 * that never measures text (`crm query --count`) should not pay.
 */
export function graphemes(text: string): IterableIterator<Intl.SegmentData> {
  segmenter ??= new Intl.Segmenter()
  return segmenter.segment(text)[Symbol.iterator]()
}
