import { expect, test } from 'vitest'
import { memo } from '../../src/util/memo.js'

test('memo answers as the function does, computes each text once, and stays bounded', () => {
  const calls: string[] = []
  const upper = memo((t: string) => {
    calls.push(t)
    return t === 'none' ? undefined : t.toUpperCase()
  }, 3)
  expect([upper('a'), upper('b'), upper('a'), upper('none'), upper('none')]).toEqual(['A', 'B', 'A', undefined, undefined])
  // An undefined answer is remembered too.
  expect(calls).toEqual(['a', 'b', 'none'])
  // Full at 3: the next new text starts the table again.
  upper('c')
  upper('a')
  expect(calls).toEqual(['a', 'b', 'none', 'c', 'a'])
})
