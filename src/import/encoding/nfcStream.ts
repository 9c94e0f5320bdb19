import { Transform } from 'node:stream'

/**
 * Text chunks in Unicode NFC. A combining mark may arrive in the chunk after its letter,
 * so each chunk's last letter and the marks after it wait for the next chunk.
 */
export function nfcStream(): Transform {
  let held = ''
  return new Transform({
    decodeStrings: false,
    encoding: 'utf8',
    transform(chunk: string | Buffer, _enc, cb) {
      const text = held + String(chunk)
      // The last character that is not a combining mark starts the part to hold back.
      let cut = text.length
      while (cut > 0 && /\p{M}/u.test(text[cut - 1]!)) cut--
      if (cut > 0) cut--
      held = text.slice(cut)
      cb(null, text.slice(0, cut).normalize('NFC'))
    },
    flush(cb) {
      cb(null, held.normalize('NFC'))
    },
  })
}
