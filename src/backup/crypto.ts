import { createCipheriv, createDecipheriv, createHmac, randomBytes, scrypt, timingSafeEqual, type DecipherGCM } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { CrmError, UsageError } from '../errors.js'

/*
 * Encrypted backup file layout (all after compression, so the ciphertext does not
 * defeat gzip):
 *
 *   magic "CRMENC01" (8) | log2 N (1) | r (1) | p (1) | salt (16) | iv (12) | key check (16)
 *   | AES-256-GCM ciphertext … | GCM tag (16)
 *
 * scrypt turns the passphrase into 64 bytes: the first 32 are the AES key, the last 32
 * key an HMAC whose first 16 bytes are the "key check". A wrong passphrase is then a
 * clear error before any decryption, and a changed byte anywhere else (the header is
 * the GCM additional data) fails the tag: "damaged or tampered".
 */
const MAGIC = Buffer.from('CRMENC01', 'latin1')
const SALT_BYTES = 16
const IV_BYTES = 12
const CHECK_BYTES = 16
const TAG_BYTES = 16
export const HEADER_BYTES = MAGIC.length + 3 + SALT_BYTES + IV_BYTES + CHECK_BYTES

/**
 * scrypt cost N = 2^17, r = 8, p = 1 (128 MiB of memory): OWASP's recommended setting.
 * The key is derived once per backup or restore, so a fraction of a second is cheap,
 * and the parameters are stored in the header so a later crm can raise them.
 */
const LOG2_N = 17
const R = 8
const P = 1

export interface KdfParams {
  log2N: number
  r: number
  p: number
  salt: Buffer
}

function deriveKeys(passphrase: string, params: KdfParams): Promise<{ key: Buffer; check: Buffer }> {
  const N = 2 ** params.log2N
  return new Promise((resolve, reject) => {
    scrypt(passphrase, params.salt, 64, { N, r: params.r, p: params.p, maxmem: 256 * N * params.r }, (err, out) => {
      if (err) reject(err)
      else {
        const check = createHmac('sha256', out.subarray(32)).update('crm backup key check').digest().subarray(0, CHECK_BYTES)
        resolve({ key: out.subarray(0, 32), check })
      }
    })
  })
}

/**
 * The passphrase from `--passphrase-file` (first line) or `CRM_BACKUP_PASSPHRASE`;
 * never from argv, where every local user can read it in `ps`.
 */
export function readPassphrase(passphraseFile: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  let value: string | undefined
  if (passphraseFile) {
    try {
      value = readFileSync(passphraseFile, 'utf8').split(/\r?\n/)[0]
    } catch (err) {
      throw new CrmError(`${passphraseFile}: cannot read the passphrase file (${(err as Error).message})`, 1, { cause: err })
    }
    if (!value) throw new UsageError(`${passphraseFile}: the passphrase file is empty`)
  } else value = env.CRM_BACKUP_PASSPHRASE || undefined
  return value
}

/** A pipeline stage; streams may type their chunks as strings, ours are always Buffers. */
export type Transform = (source: AsyncIterable<Buffer | string>) => AsyncGenerator<Buffer>

function asBuffer(chunk: Buffer | string): Buffer {
  return typeof chunk === 'string' ? Buffer.from(chunk) : chunk
}

/** The stage used when a backup is not encrypted: passes chunks through. */
export const plainStage: Transform = async function* plain(source) {
  for await (const chunk of source) yield asBuffer(chunk)
}

/** A pipeline stage that encrypts everything passing through and appends the tag. */
export async function encryptStage(passphrase: string): Promise<Transform> {
  const params: KdfParams = { log2N: LOG2_N, r: R, p: P, salt: randomBytes(SALT_BYTES) }
  const iv = randomBytes(IV_BYTES)
  const { key, check } = await deriveKeys(passphrase, params)
  const header = Buffer.concat([MAGIC, Buffer.from([params.log2N, params.r, params.p]), params.salt, iv, check])
  return async function* encrypt(source) {
    const cipher = createCipheriv('aes-256-gcm', key, iv)
    cipher.setAAD(header)
    yield header
    for await (const chunk of source) {
      const out = cipher.update(asBuffer(chunk))
      if (out.length > 0) yield out
    }
    const last = cipher.final()
    if (last.length > 0) yield last
    yield cipher.getAuthTag()
  }
}

/** True when a file starts with the encrypted-backup magic. */
export function isEncryptedHeader(head: Buffer): boolean {
  return head.length >= MAGIC.length && head.subarray(0, MAGIC.length).equals(MAGIC)
}

/**
 * A pipeline stage that decrypts. Plaintext flows out before the tag is checked (the
 * tag is at the end), so callers write it to a temporary file and trust that file only
 * once the pipeline has finished without error.
 */
export function decryptStage(passphrase: string, label: string): Transform {
  return async function* decrypt(source) {
    let head = Buffer.alloc(0)
    let decipher: DecipherGCM | undefined
    let pending = Buffer.alloc(0)
    for await (const chunk of source) {
      let data = asBuffer(chunk)
      if (!decipher) {
        head = Buffer.concat([head, data])
        if (head.length < HEADER_BYTES) continue
        decipher = await openHeader(head.subarray(0, HEADER_BYTES), passphrase, label)
        data = head.subarray(HEADER_BYTES)
      }
      // Hold back the last 16 bytes: they may be the tag.
      const all = pending.length > 0 ? Buffer.concat([pending, data]) : data
      if (all.length <= TAG_BYTES) {
        pending = Buffer.from(all)
        continue
      }
      pending = Buffer.from(all.subarray(all.length - TAG_BYTES))
      const out = decipher.update(all.subarray(0, all.length - TAG_BYTES))
      if (out.length > 0) yield out
    }
    if (!decipher || pending.length < TAG_BYTES) throw new CrmError(`${label}: the encrypted backup is cut short`)
    decipher.setAuthTag(pending)
    let last: Buffer
    try {
      last = decipher.final()
    } catch (err) {
      throw new CrmError(`${label}: the backup is damaged or was tampered with (encryption tag does not match)`, 1, { cause: err })
    }
    if (last.length > 0) yield last
  }
}

async function openHeader(header: Buffer, passphrase: string, label: string): Promise<DecipherGCM> {
  if (!isEncryptedHeader(header)) throw new CrmError(`${label}: not an encrypted crm backup`)
  let at = MAGIC.length
  const log2N = header[at++]!
  const r = header[at++]!
  const p = header[at++]!
  if (log2N < 10 || log2N > 22 || r < 1 || r > 32 || p < 1 || p > 16) {
    throw new CrmError(`${label}: the backup's encryption header is damaged`)
  }
  const salt = header.subarray(at, (at += SALT_BYTES))
  const iv = header.subarray(at, (at += IV_BYTES))
  const storedCheck = header.subarray(at, (at += CHECK_BYTES))
  const { key, check } = await deriveKeys(passphrase, { log2N, r, p, salt })
  if (!timingSafeEqual(check, storedCheck)) {
    throw new CrmError(`${label}: wrong passphrase (CRM_BACKUP_PASSPHRASE or --passphrase-file)`)
  }
  const decipher = createDecipheriv('aes-256-gcm', key, iv)
  decipher.setAAD(header)
  return decipher
}
