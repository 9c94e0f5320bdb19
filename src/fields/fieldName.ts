import { UsageError } from '../errors.js'

/**
 * Names a custom field may not take (compared case-insensitively): the customer's own
 * columns and computed query fields, internal columns, and the shared filter flags in
 * their snake_case form, so `--fields`, `--sort`, `--where` and import headers never
 * have two meanings.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'id', 'external_id', 'first_name', 'last_name', 'name', 'full_name', 'email', 'email_norm', 'phone', 'phone_e164',
  'gender', 'birth_date', 'birthday', 'street', 'city', 'region', 'state', 'postal_code', 'zip', 'country', 'company',
  'job_title', 'source', 'territory', 'sales_rep', 'rep', 'notes', 'extra', 'consent_email', 'consent_email_at',
  'consent_email_source', 'consent_mail', 'consent_mail_at', 'consent_mail_source', 'consent_sms', 'consent_sms_at',
  'consent_sms_source', 'consent_phone', 'consent_phone_at', 'consent_phone_source', 'city_key', 'region_key',
  'territory_key', 'sales_rep_key', 'source_key', 'search_key', 'forgotten_at', 'created_at', 'updated_at',
  'spent_cents', 'orders', 'last_purchase_at', 'tags', 'tag',
  // the shared filter (FilterSpec) in snake_case
  'age', 'age_min', 'age_max', 'birthday_within', 'consent', 'search', 'days', 'since', 'until', 'spent_gt', 'spent_lt',
  'orders_gt', 'bought', 'category', 'inactive_days', 'rfm_segment', 'segment', 'where',
])

const NAME = /^[A-Za-z][A-Za-z0-9_]{0,39}$/

/** Checks a new field name: letters, digits and underscore, a letter first, at most 40, not a built-in name. */
export function checkFieldName(name: string): string {
  if (!NAME.test(name)) {
    throw new UsageError(`field name "${name}": use letters, digits and _ (a letter first, at most 40), e.g. income_band`)
  }
  if (RESERVED_NAMES.has(name.toLowerCase())) {
    throw new UsageError(`field name "${name}" is a built-in field or filter name; choose another (e.g. my_${name.toLowerCase()})`)
  }
  return name
}
