import { FIELDS_SECTION } from '../helpers/readme.js'
import { readmeSectionOnBoth } from './readmeTwin.js'

// The custom fields section, run on PostgreSQL and SQLite side by side: same output.
readmeSectionOnBoth(FIELDS_SECTION, [], 25)
