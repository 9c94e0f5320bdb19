// Custom fields: a shop's own typed fields (definitions, values, --where, distribution).
// The one entry the CLI and other features import.
export { addField, findField, listFields, parseChoices, PromotionError, removeField, renameField, requireField, valueCounts } from './fieldDefinitions.js'
export type { AddFieldResult, NewField, PromotionFailure } from './fieldDefinitions.js'
export { checkFieldName, RESERVED_NAMES } from './fieldName.js'
export { formatMoney, parseFieldValue, shownValue, valueText } from './fieldValue.js'
export type { FieldDefinition, ShownValue, StoredValue, ValueOptions } from './fieldValue.js'
export { customFieldValues, parseAssignments, setFieldValues, storedValues } from './fieldValues.js'
export type { FieldAssignment, FieldValueChange } from './fieldValues.js'
export { columnAlias, fieldValueExpression, withFieldNames } from './fieldColumns.js'
export { parseWhere, WhereClause, whereText, WHERE_OPERATORS } from './whereGrammar.js'
export { resolveWhere, whereConditions } from './whereFilter.js'
export { bucketWidth, fieldDistribution } from './fieldDistribution.js'
export type { DistributionRow } from './fieldDistribution.js'
