import type { PreparedRecord } from './prepareRecord.js'

/**
 * A spelling seen as a given name at least this often in the list is in common use there:
 * a typist's slip is seen once or twice (Sung-oin for Sung-min), a name itself many times.
 */
export const COMMON_NAME_COUNT = 5
/**
 * Two spellings are both names only when the rarer is seen at least a tenth as often as the
 * other: in a million customers a common slip (Jonh) recurs, but far less than John itself.
 */
const NAME_RATIO = 10

/**
 * How often each word of a given name occurs as one in this list: "Thị Lan" counts "thi"
 * and "lan", so Lan and Loan are compared as the names they are, not with the middle name.
 */
export class GivenNameCounts {
  private readonly counts = new Map<string, number>()

  constructor(records: Iterable<Pick<PreparedRecord, 'first'>>) {
    for (const r of records) {
      if (!r.first) continue
      for (const word of r.first.split(' ')) this.counts.set(word, (this.counts.get(word) ?? 0) + 1)
    }
  }

  count(word: string): number {
    return this.counts.get(word) ?? 0
  }

  /**
   * Two spellings in common use, each seen often and about as often as the other: two names
   * (Lan and Loan, Hùng and Hương, Seo-yeon and Seo-yoon), not a typo of one another.
   */
  bothCommon(a: string, b: string): boolean {
    const x = this.count(a)
    const y = this.count(b)
    return Math.min(x, y) >= COMMON_NAME_COUNT && Math.min(x, y) * NAME_RATIO >= Math.max(x, y)
  }

  /** One spelling common and the other not (rare, or rare beside it): a slip of the common name. */
  slipOfCommon(a: string, b: string): boolean {
    return Math.max(this.count(a), this.count(b)) >= COMMON_NAME_COUNT && !this.bothCommon(a, b)
  }
}

/**
 * The words in which two given names differ, side by side: each unequal pair of words when
 * both have as many words (one-word names: the names themselves), else none.
 */
export function differingWords(a: string, b: string): Array<[string, string]> {
  const wa = a.split(' ')
  const wb = b.split(' ')
  if (wa.length !== wb.length) return []
  const out: Array<[string, string]> = []
  wa.forEach((w, i) => {
    if (w !== wb[i]) out.push([w, wb[i]!])
  })
  return out
}
