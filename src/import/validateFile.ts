import { basename } from 'node:path'
import { CrmError } from '../errors.js'
import { interactionFromRecord, npsFromRecord, purchaseFromRecord, type ActivityContext, type InteractionInput, type NpsInput, type PurchaseInput } from './activityRows.js'
import type { PreparedCustomer } from './customerColumns.js'
import { customerPlan, type CustomerPlan } from './customerPlan.js'
import type { FieldError } from './customerRow.js'
import type { ImportType } from './headerAliases.js'
import { buildMapping, describeMapping, detectType } from './headerMap.js'
import { detectDelimiter, openInput } from './openInput.js'
import { readRecords } from './readRecords.js'
import { isVcard, readVcard } from './readVcard.js'

/** Everything the validation stage needs; plain data, so it can cross to a worker thread. */
export interface ValidationJob {
  file: string
  type?: ImportType
  encoding?: string
  delimiter?: string
  /** Parsed --map options: folded header → field. */
  map: Array<[string, string]>
  context: ActivityContext
  defaultCountry: string
  /** Send every row's original fields (for the rejects file), not only rejected ones. */
  keepFields: boolean
}

export type { PreparedCustomer } from './customerColumns.js'

export type ValidRow =
  | { kind: 'customers'; value: PreparedCustomer }
  | { kind: 'purchases'; value: PurchaseInput }
  | { kind: 'interactions'; value: InteractionInput }
  | { kind: 'nps'; value: NpsInput }

export interface CheckedRow {
  line: number
  fields?: string[]
  row?: ValidRow
  errors?: FieldError[]
}

export type ValidationEvent =
  | { event: 'header'; header: string[]; type: ImportType; format: string; encoding: string; encodingReason: string; delimiter: string; mapping: string[] }
  | { event: 'rows'; rows: CheckedRow[]; bytesRead: number; totalBytes: number }

const BATCH_SIZE = 2000

/**
 * Reads, maps and checks every row of a file: the CPU-heavy half of an import, which
 * needs no database. Yields the header description, then batches of checked rows.
 */
export async function* validateFile(job: ValidationJob, deferPhones: () => boolean = () => false): AsyncGenerator<ValidationEvent> {
  const source = openInput(job.file, job.encoding)
  const vcard = isVcard(source.sample)
  const delimiter = vcard ? 'vCard' : (job.delimiter ?? detectDelimiter(source.sample))
  const fileName = basename(job.file)
  let bytesRead = 0
  const progress = (n: number) => (bytesRead = n)
  const input = vcard ? source.open(progress) : source.openCsv(progress)
  const records = vcard ? readVcard(input as AsyncIterable<string>, fileName) : readRecords(input, delimiter, fileName)
  const first = await records.next()
  if (first.done) throw new CrmError(`${fileName}: the file is empty (a header row is needed)`)
  const header = first.value.fields
  if (vcard && job.type && job.type !== 'customers') throw new CrmError(`${fileName}: a vCard file holds customers, not ${job.type}`)
  const type = vcard ? 'customers' : (job.type ?? detectType(header))
  const mapping = buildMapping(header, type, new Map(job.map))
  if (type === 'customers' && mapping.fields.size === 0 && mapping.addressGroups.length === 0) {
    throw new CrmError(`${fileName}:1: no column is a customer field (header: ${header.slice(0, 6).join(', ')}…); use --map "Header=field"`)
  }
  yield { event: 'header', header, type, format: vcard ? 'vCard' : mapping.profile, encoding: source.encoding, encodingReason: source.encodingReason, delimiter, mapping: describeMapping(mapping) }

  const ctx = job.context
  const plan = type === 'customers' ? customerPlan(mapping, ctx, job.defaultCountry) : null
  let batch: CheckedRow[] = []
  for await (const rec of records) {
    const checked: CheckedRow = { line: rec.line }
    if (rec.fields.length > header.length && rec.fields.slice(header.length).some((f) => f !== '')) {
      checked.errors = [{ field: '(row)', reason: `${rec.fields.length} fields but the header has ${header.length} (a stray delimiter or quote?)` }]
    } else {
      const result = checkRecord(type, mapping, rec.fields, ctx, plan, deferPhones)
      if (Array.isArray(result)) checked.errors = result
      else checked.row = result
    }
    if (checked.errors || job.keepFields) checked.fields = rec.fields
    batch.push(checked)
    if (batch.length >= BATCH_SIZE) {
      yield { event: 'rows', rows: batch, bytesRead, totalBytes: source.size }
      batch = []
    }
  }
  if (batch.length) yield { event: 'rows', rows: batch, bytesRead, totalBytes: source.size }
}

function checkRecord(
  type: ImportType,
  mapping: ReturnType<typeof buildMapping>,
  fields: string[],
  ctx: ActivityContext,
  plan: CustomerPlan | null,
  deferPhones: () => boolean,
): ValidRow | FieldError[] {
  switch (type) {
    case 'customers': {
      const p = plan!(fields, deferPhones())
      return Array.isArray(p) ? p : { kind: 'customers', value: p }
    }
    case 'purchases': {
      const p = purchaseFromRecord(mapping, fields, ctx)
      return Array.isArray(p) ? p : { kind: 'purchases', value: p }
    }
    case 'interactions': {
      const i = interactionFromRecord(mapping, fields, ctx)
      return Array.isArray(i) ? i : { kind: 'interactions', value: i }
    }
    case 'nps': {
      const a = npsFromRecord(mapping, fields, ctx)
      return Array.isArray(a) ? a : { kind: 'nps', value: a }
    }
  }
}
