/** The reports: each takes a resolved filter spec and returns rows; the CLI prints them. */
export { basketReport, BASKET_KINDS, type BasketKind, type BasketReport } from './basket.js'
export { birthdaysReport, type BirthdayRow } from './birthdays.js'
export { lapsedCustomers, lapsedReport, type LapsedRow } from './lapsed.js'
export { PERIOD_KINDS, type PeriodKind } from './periods.js'
export { rfmCustomers, rfmSegmentSizes, type RfmCustomerRow, type RfmSegmentRow } from './rfm.js'
export { salesReport, type SalesRow } from './sales.js'
export { sourcesReport, type SourceRow } from './sources.js'
