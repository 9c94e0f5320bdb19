import { NPS_SECTION } from '../helpers/readme.js'
import { readmeSectionOnBoth } from './readmeTwin.js'

// The README's NPS section (survey import, nps add, scores, trends, comparisons,
// detractors) after importing the example contacts and purchases into both databases.
readmeSectionOnBoth(NPS_SECTION, ['contacts.csv', 'purchases.csv'], 18)
