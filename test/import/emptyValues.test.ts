import { describe, expect, test } from 'vitest'
import { isEmptyFieldValue, isEmptySpelling } from '../../src/import/parse/emptyValues.js'

describe('empty spellings', () => {
  test("Outlook's and other all-zero birthdays are empty; a real or broken date is not", () => {
    for (const d of ['0/0/00', '00/00/0000', '0/0/0000', '0000-00-00', '00.00.0000', ' 0/0/00 ']) expect(isEmptySpelling('date', d), d).toBe(true)
    for (const d of ['1/1/00', '0/1/00', '10/0/2000', '2000-00-01', '31/02/1990']) expect(isEmptySpelling('date', d), d).toBe(false)
  })
  test('Unspecified and Not specified are an empty gender but a text field keeps them', () => {
    for (const g of ['Unspecified', 'NOT SPECIFIED', 'u']) {
      expect(isEmptySpelling('gender', g), g).toBe(true)
      expect(isEmptySpelling('text', g), g).toBe(false)
    }
  })
  test('N/A, -, none, unknown are empty in every descriptive field', () => {
    for (const field of ['gender', 'birth_date', 'company', 'job_title', 'title']) {
      for (const v of ['N/A', 'n/a', '-', 'None', 'UNKNOWN']) expect(isEmptyFieldValue(field, v), `${field} ${v}`).toBe(true)
    }
  })
  test('names, emails and notes are never emptied: "None" may be somebody\'s text there', () => {
    for (const field of ['first_name', 'last_name', 'email', 'notes', 'city']) expect(isEmptyFieldValue(field, 'N/A')).toBe(false)
    expect(isEmptyFieldValue('company', 'Nonesuch Ltd')).toBe(false)
  })
})
