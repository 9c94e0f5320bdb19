import { RECORDS_SECTION } from '../helpers/readme.js'
import { readmeSectionOnBoth } from './readmeTwin.js'

// The README's section on one customer (add, show, edit, tag, purchase, log, consent,
// export, forget, rm) after importing examples/contacts.csv into both databases.
readmeSectionOnBoth(RECORDS_SECTION, ['contacts.csv'], 24)
