import { describe, expect, test } from 'vitest'
import { addDays, isIsoDate, localDate, startOfLocalDay, yearsBefore } from '../../src/query/localTime.js'

describe('local calendar arithmetic', () => {
  test('local date of an instant depends on the zone', () => {
    expect(localDate(new Date('2026-11-23T03:00:00Z'), 'UTC')).toBe('2026-11-23')
    expect(localDate(new Date('2026-11-23T03:00:00Z'), 'America/New_York')).toBe('2026-11-22')
    expect(localDate(new Date('2026-11-23T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-24')
  })

  test('start of a local day, summer and winter time', () => {
    expect(startOfLocalDay('2026-10-24', 'Europe/Berlin').toISOString()).toBe('2026-10-23T22:00:00.000Z')
    expect(startOfLocalDay('2026-10-26', 'Europe/Berlin').toISOString()).toBe('2026-10-25T23:00:00.000Z')
    // The day DST ends begins in summer time.
    expect(startOfLocalDay('2026-10-25', 'Europe/Berlin').toISOString()).toBe('2026-10-24T22:00:00.000Z')
    expect(startOfLocalDay('2026-10-23', 'America/New_York').toISOString()).toBe('2026-10-23T04:00:00.000Z')
    expect(startOfLocalDay('2026-03-01', 'Asia/Tehran').toISOString()).toBe('2026-02-28T20:30:00.000Z')
    expect(startOfLocalDay('2026-01-01', 'UTC').toISOString()).toBe('2026-01-01T00:00:00.000Z')
  })

  test('a day whose midnight is skipped by DST begins at 01:00 local', () => {
    // Chile moves clocks from 00:00 to 01:00 on the first Sunday of September.
    const start = startOfLocalDay('2026-09-06', 'America/Santiago')
    expect(localDate(start, 'America/Santiago')).toBe('2026-09-06')
    expect(localDate(start.getTime() - 1, 'America/Santiago')).toBe('2026-09-05')
  })

  test('addDays crosses months, years and leap days', () => {
    expect(addDays('2026-12-30', 5)).toBe('2027-01-04')
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29')
    expect(addDays('2026-11-23', -30)).toBe('2026-10-24')
  })

  test('yearsBefore turns 29 February into 28 February in common years', () => {
    expect(yearsBefore('2028-02-29', 1)).toBe('2027-02-28')
    expect(yearsBefore('2028-02-29', 4)).toBe('2024-02-29')
    expect(yearsBefore('2026-11-23', 18)).toBe('2008-11-23')
  })

  test('isIsoDate accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2026-02-29')).toBe(false)
    expect(isIsoDate('2026-13-01')).toBe(false)
    expect(isIsoDate('23.11.2026')).toBe(false)
  })
})

test('UTC (answered without Intl) gives what the time zone data gives', () => {
  const intl = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' })
  const instants = [0, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(1969, 11, 31, 12), Date.UTC(2026, 10, 20, 0, 0, 0, 1)]
  for (let t = Date.UTC(1999, 11, 31, 22); t < Date.UTC(2000, 0, 1, 2); t += 17 * 60_000) instants.push(t)
  for (const t of instants) {
    expect(localDate(t, 'UTC')).toBe(intl.format(t))
    expect(localDate(t, 'Etc/UTC')).toBe(intl.format(t))
  }
  expect(startOfLocalDay('2024-02-29', 'UTC').toISOString()).toBe('2024-02-29T00:00:00.000Z')
  expect(startOfLocalDay('2026-11-20', 'Etc/UTC').toISOString()).toBe('2026-11-20T00:00:00.000Z')
})
