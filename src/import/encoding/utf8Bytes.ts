import { isUtf8 } from 'node:buffer'
import { Transform } from 'node:stream'
import { CrmError } from '../../errors.js'

/**
 * A UTF-8 file's own bytes, checked but not decoded: csv-parse works on bytes, so text
 * decoded for it is encoded back to bytes inside it (about a fifth of its CPU on a
 * 1M-customer file). Passes on only bytes proven valid, so an invalid one stops the import
 * with the same message as decoding would, before csv-parse has seen it (it would read it
 * as U+FFFD). A character cut at the end of a read waits for the next read.
 */
export function checkedUtf8Bytes(path: string): Transform {
  let offset = 0
  let carry: Buffer | null = null
  const invalid = () => new CrmError(`${path}: not valid UTF-8 near byte ${offset} (is it Windows-1252? try --encoding windows-1252)`)
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      const data = carry ? Buffer.concat([carry, chunk]) : chunk
      const end = completeLength(data)
      if (!isUtf8(data.subarray(0, end))) return cb(invalid())
      offset += end
      carry = end < data.length ? Buffer.from(data.subarray(end)) : null
      cb(null, end === data.length ? data : data.subarray(0, end))
    },
    flush(cb) {
      cb(carry ? invalid() : null)
    },
  })
}

/**
 * How many bytes of `data` end on a character boundary: all of them, unless the last
 * character's lead byte is there and some of its continuation bytes are not yet.
 * Anything else (a stray continuation byte, a bad lead byte) is left for isUtf8 to refuse.
 */
export function completeLength(data: Buffer): number {
  let lead = data.length - 1
  while (lead >= 0 && data.length - lead <= 3 && (data[lead]! & 0xc0) === 0x80) lead--
  if (lead < 0 || data[lead]! < 0xc0) return data.length
  const b = data[lead]!
  const needed = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2
  return data.length - lead < needed ? lead : data.length
}
