/** The customer fields a vCard carries (the same names `readVcard` returns). */
export interface VcardFields {
  external_id?: string | null
  first_name?: string | null
  last_name?: string | null
  email?: string | null
  phone?: string | null
  gender?: string | null
  birth_date?: string | null
  street?: string | null
  city?: string | null
  region?: string | null
  postal_code?: string | null
  country?: string | null
  company?: string | null
  job_title?: string | null
  notes?: string | null
  /** Tag names. */
  tags?: string[] | null
  /** The shop's own fields, written as X-CRM-NAME properties (RFC 6350 §6.10 extensions). */
  custom?: Array<{ name: string; value: string | number | boolean | null }> | null
}

/** RFC 6350 §3.4: backslash, comma, semicolon and newline are escaped in text values. */
export function escapeText(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/,/g, '\\,').replace(/;/g, '\\;').replace(/\r\n|\r|\n/g, '\\n')
}

const encoder = new TextEncoder()

/**
 * RFC 6350 §3.2: lines longer than 75 octets are folded with CRLF and one space,
 * never inside a UTF-8 character (nor, here, inside a surrogate pair).
 */
export function foldLine(line: string): string {
  if (line.length <= 25 || Buffer.byteLength(line) <= 75) return line + '\r\n'
  let out = ''
  let octets = 0
  let limit = 75
  for (const ch of line) {
    const n = encoder.encode(ch).length
    if (octets + n > limit) {
      out += '\r\n '
      octets = 0
      limit = 74 // the leading space counts
    }
    out += ch
    octets += n
  }
  return out + '\r\n'
}

const GENDER: Record<string, string> = { f: 'F', m: 'M', x: 'O' }

/** 1985-04-12 → 19850412, --04-12 → --0412 (RFC 6350 date forms). */
function vcardDate(d: string): string {
  return d.startsWith('--') ? '--' + d.slice(2).replace('-', '') : d.replace(/-/g, '')
}

/**
 * One customer as a vCard 4.0 (RFC 6350) with CRLF line ends: the form khard, Google
 * Contacts and Apple Contacts read. TEL keeps the number as written (text is TEL's
 * default value type, RFC 6350 §6.4.1), so a round trip changes nothing.
 */
export function vcardOf(c: VcardFields): string {
  const e = (v: string | null | undefined) => escapeText(v ?? '')
  const lines = ['BEGIN:VCARD', 'VERSION:4.0']
  if (c.external_id) lines.push(`UID;VALUE=text:${e(c.external_id)}`)
  const name = [c.first_name, c.last_name].filter(Boolean).join(' ')
  // FN is required; a company or an email stands in for a missing name.
  lines.push(`FN:${e(name || c.company || c.email || '')}`)
  lines.push(`N:${e(c.last_name)};${e(c.first_name)};;;`)
  if (c.company) lines.push(`ORG:${e(c.company)}`)
  if (c.job_title) lines.push(`TITLE:${e(c.job_title)}`)
  if (c.email) lines.push(`EMAIL:${e(c.email)}`)
  if (c.phone) lines.push(`TEL:${e(c.phone)}`)
  if (c.street || c.city || c.region || c.postal_code || c.country) {
    lines.push(`ADR:;;${e(c.street)};${e(c.city)};${e(c.region)};${e(c.postal_code)};${e(c.country)}`)
  }
  if (c.birth_date) lines.push(`BDAY:${vcardDate(c.birth_date)}`)
  if (c.gender && GENDER[c.gender]) lines.push(`GENDER:${GENDER[c.gender]}`)
  if (c.tags?.length) lines.push(`CATEGORIES:${c.tags.map(e).join(',')}`)
  if (c.notes) lines.push(`NOTE:${e(c.notes)}`)
  for (const f of c.custom ?? []) {
    if (f.value === null || f.value === '') continue
    const text = typeof f.value === 'boolean' ? (f.value ? 'yes' : 'no') : String(f.value)
    // An x-name is letters, digits and '-': a field name's '_' becomes '-'.
    lines.push(`X-CRM-${f.name.toUpperCase().replace(/_/g, '-')}:${e(text)}`)
  }
  lines.push('END:VCARD')
  return lines.map(foldLine).join('')
}
