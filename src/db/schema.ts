import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely'

/** Timestamps are ISO-8601 UTC text; SQLite fills them in on insert. */
type CreatedAt = ColumnType<string, string | undefined, never>
type UpdatedAt = ColumnType<string, string | undefined, string>

export type ConsentStatus = 'granted' | 'refused' | 'unknown'
export const CONSENT_CHANNELS = ['email', 'mail', 'sms', 'phone'] as const
export type ConsentChannel = (typeof CONSENT_CHANNELS)[number]
export type Gender = 'f' | 'm' | 'x'

export interface CustomerTable {
  id: Generated<number>
  external_id: string | null
  first_name: string | null
  last_name: string | null
  email: string | null
  /** Lower-cased, NFKC-normalised email, the key imports match on. */
  email_norm: string | null
  phone: string | null
  phone_e164: string | null
  gender: Gender | null
  /** YYYY-MM-DD */
  birth_date: string | null
  street: string | null
  city: string | null
  region: string | null
  postal_code: string | null
  /** ISO 3166 alpha-2 */
  country: string | null
  company: string | null
  job_title: string | null
  source: string | null
  territory: string | null
  sales_rep: string | null
  notes: string | null
  consent_email: Generated<ConsentStatus>
  consent_email_at: string | null
  consent_email_source: string | null
  consent_mail: Generated<ConsentStatus>
  consent_mail_at: string | null
  consent_mail_source: string | null
  consent_sms: Generated<ConsentStatus>
  consent_sms_at: string | null
  consent_sms_source: string | null
  consent_phone: Generated<ConsentStatus>
  consent_phone_at: string | null
  consent_phone_source: string | null
  /** JSON object of columns crm has no field for, and alternate emails/phones. */
  extra: string | null
  /** Folded (NFKC, case-folded, transliterated) keys for accent-insensitive matching. */
  city_key: string | null
  region_key: string | null
  territory_key: string | null
  sales_rep_key: string | null
  source_key: string | null
  /** Folded name, email, company and phone digits, for --search. */
  search_key: string | null
  /** Set when the person was erased with `crm forget`. */
  forgotten_at: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface PurchaseTable {
  id: Generated<number>
  customer_id: number
  purchased_at: string
  product: string | null
  category: string | null
  quantity: Generated<number>
  /** Minor units (cents); negative for refunds. */
  amount_cents: number
  currency: string
  order_id: string | null
  line: number | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export const INTERACTION_CHANNELS = ['phone', 'email', 'visit', 'letter', 'social', 'sms'] as const
export const INTERACTION_KINDS = ['call', 'complaint', 'question', 'review', 'note', 'order', 'campaign'] as const

export interface InteractionTable {
  id: Generated<number>
  customer_id: number
  occurred_at: string
  channel: (typeof INTERACTION_CHANNELS)[number]
  kind: (typeof INTERACTION_KINDS)[number]
  note: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface NpsAnswerTable {
  id: Generated<number>
  /** Null for an anonymous answer kept with --keep-unmatched. */
  customer_id: number | null
  score: number
  comment: string | null
  answered_at: string
  campaign: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface TagTable {
  id: Generated<number>
  name: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface CustomerTagTable {
  customer_id: number
  tag_id: number
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface AuditTable {
  id: Generated<number>
  at: string
  /** import, edit, merge, unmerge, forget, rm, consent, restore … */
  action: string
  customer_id: number | null
  /** JSON with what changed. */
  details: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface SegmentTable {
  id: Generated<number>
  name: string
  /** The filter spec as JSON. */
  filter: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

/** Key/value settings kept in the database itself (e.g. the erasure HMAC secret). */
export interface SettingTable {
  key: string
  value: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

/** Keyed hashes of erased people's email and phone, so a re-import is reported. */
export interface SuppressionTable {
  id: Generated<number>
  kind: 'email' | 'phone'
  hash: string
  created_at: CreatedAt
  updated_at: UpdatedAt
}

/** One merge of customers into a survivor, with everything needed to undo it. */
export interface MergeTable {
  id: Generated<number>
  survivor_id: number
  /** JSON array of the merged-away customer ids. */
  merged_ids: string
  /** JSON MergeSnapshot (src/dedupe/mergeSnapshot.ts): rows exactly as they were. */
  snapshot: string
  survivor_updated_at: string
  merged_at: string
  undone_at: string | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

/** Two customers a person said are not the same (customer_a < customer_b). */
export interface DistinctPairTable {
  customer_a: number
  customer_b: number
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export const CUSTOM_FIELD_TYPES = ['text', 'number', 'money', 'date', 'bool', 'choice'] as const
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number]

/** A shop's own field (`crm field add`); its values are rows of customer_field_values. */
export interface CustomFieldTable {
  id: Generated<number>
  /** Letters, digits and underscore, starting with a letter; unique whatever the case. */
  name: string
  label: string | null
  type: CustomFieldType
  /** JSON array of the allowed values (choice fields only). */
  choices: string | null
  position: number
  created_at: CreatedAt
  updated_at: UpdatedAt
}

/** One customer's value of one custom field; an empty value is no row. */
export interface CustomerFieldValueTable {
  customer_id: number
  field_id: number
  /** text, choice and date (YYYY-MM-DD) values as stored and shown. */
  value_text: string | null
  /** The comparison form: folded text/choice, the date itself; what --where compares. */
  value_key: string | null
  /** number; money as integer minor units of the base currency; bool as 0/1. */
  value_num: number | null
  created_at: CreatedAt
  updated_at: UpdatedAt
}

export interface Database {
  customers: CustomerTable
  purchases: PurchaseTable
  interactions: InteractionTable
  nps_answers: NpsAnswerTable
  tags: TagTable
  customer_tags: CustomerTagTable
  audit: AuditTable
  segments: SegmentTable
  settings: SettingTable
  suppressions: SuppressionTable
  merges: MergeTable
  distinct_pairs: DistinctPairTable
  custom_fields: CustomFieldTable
  customer_field_values: CustomerFieldValueTable
}

export type Customer = Selectable<CustomerTable>
export type NewCustomer = Insertable<CustomerTable>
export type CustomerUpdate = Updateable<CustomerTable>
export type Purchase = Selectable<PurchaseTable>
export type NewPurchase = Insertable<PurchaseTable>
export type Interaction = Selectable<InteractionTable>
export type NpsAnswer = Selectable<NpsAnswerTable>
export type Merge = Selectable<MergeTable>
