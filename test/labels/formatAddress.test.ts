import { describe, expect, test } from 'vitest'
import { countryLine, formatAddress, missingAddressFields, personName, type PostalRecipient } from '../../src/labels/formatAddress.js'

const us: PostalRecipient = { name: 'Jane Roe', street: '1600 Amphitheatre Pkwy', city: 'Mountain View', region: 'CA', postalCode: '94043', country: 'US' }
const de: PostalRecipient = { name: 'Anna Schmidt', company: 'Bäckerei Schmidt GmbH', street: 'Müllerstraße 12', city: 'Berlin', postalCode: '13353', country: 'DE' }
const ir: PostalRecipient = { name: 'مریم احمدی', street: 'خیابان ولیعصر، پلاک ۱۲', city: 'تهران', region: 'استان تهران', postalCode: '1511943943', country: 'IR' }

describe('formatAddress', () => {
  test('US: city and state in capitals on one line, no country line at home', () => {
    expect(formatAddress(us, { homeCountry: 'US' })).toEqual(['Jane Roe', '1600 Amphitheatre Pkwy', 'MOUNTAIN VIEW, CA 94043'])
  })

  test('a foreign address gets the country line in capitals', () => {
    expect(formatAddress(us, { homeCountry: 'DE' })).toEqual(['Jane Roe', '1600 Amphitheatre Pkwy', 'MOUNTAIN VIEW, CA 94043', 'UNITED STATES'])
  })

  test('Germany: company under the name, postal code before the city, city as written', () => {
    expect(formatAddress(de, { homeCountry: 'DE' })).toEqual(['Anna Schmidt', 'Bäckerei Schmidt GmbH', 'Müllerstraße 12', '13353 Berlin'])
  })

  test('France puts the company first and the city in capitals', () => {
    const fr = { name: 'Luc Martin', company: 'Boulangerie Martin', street: '8 rue de la Paix', city: 'Paris', postalCode: '75002', country: 'FR' }
    expect(formatAddress(fr, { homeCountry: 'US' })).toEqual(['Boulangerie Martin', 'Luc Martin', '8 rue de la Paix', '75002 PARIS', 'FRANCE'])
  })

  test('UK: post town and postcode on their own lines, in capitals', () => {
    const gb = { name: 'Tom Hill', street: '10 Downing Street', city: 'London', postalCode: 'sw1a 2aa', country: 'GB' }
    expect(formatAddress(gb, { homeCountry: 'GB' })).toEqual(['Tom Hill', '10 Downing Street', 'LONDON', 'SW1A 2AA'])
  })

  test('Iran: province and city before the street, postal code last', () => {
    expect(formatAddress(ir, { homeCountry: 'US' })).toEqual(['مریم احمدی', 'استان تهران', 'تهران', 'خیابان ولیعصر، پلاک ۱۲', '1511943943', 'IRAN'])
  })

  test('Russia keeps Cyrillic as written; the country line is in the sender’s language', () => {
    const ru = { name: 'Иван Петров', street: 'ул. Тверская, д. 7', city: 'Москва', postalCode: '125009', country: 'RU' }
    expect(formatAddress(ru, { homeCountry: 'DE', countryNameLocale: 'de' })).toEqual(['Иван Петров', 'ул. Тверская, д. 7', 'Москва', '125009', 'RUSSLAND'])
  })

  test('no country on the customer means the shop’s own country', () => {
    expect(formatAddress({ ...de, country: null }, { homeCountry: 'DE' })).toEqual(formatAddress(de, { homeCountry: 'DE' }))
  })

  test('a region that repeats the city prints once', () => {
    const es = { name: 'María García', street: 'Calle de Alcalá 42', city: 'Madrid', region: 'madrid', postalCode: '28014', country: 'ES' }
    expect(formatAddress(es, { homeCountry: 'ES' })).toEqual(['María García', 'Calle de Alcalá 42', '28014 Madrid'])
    expect(formatAddress({ ...ir, region: 'تهران' }, { homeCountry: 'IR' })).toEqual(['مریم احمدی', 'تهران', 'خیابان ولیعصر، پلاک ۱۲', '1511943943'])
  })

  test('Japan: a native-script address big-endian, a Latin one little-endian', () => {
    const native = { name: personName('宏', '田中', 'JP'), street: '日本橋室町2-1-1', city: '中央区', region: '東京都', postalCode: '103-0022', country: 'JP' }
    expect(formatAddress(native, { homeCountry: 'JP' })).toEqual(['〒103-0022', '東京都', '日本橋室町2-1-1', '田中 宏'])
    const latin = { name: personName('Hiroshi', 'Tanaka', 'JP'), street: '2-1-1 Nihonbashi Muromachi', city: 'Chuo-ku', region: 'Tokyo', postalCode: '103-0022', country: 'JP' }
    expect(formatAddress(latin, { homeCountry: 'US' })).toEqual(['Hiroshi Tanaka', '2-1-1 Nihonbashi Muromachi, TOKYO', '103-0022', 'JAPAN'])
  })

  test('a multi-line street keeps its lines; blanks and double spaces go', () => {
    const r = { ...us, street: '  Building 4 \n\n 1600  Amphitheatre Pkwy ' }
    expect(formatAddress(r, { homeCountry: 'US' })).toEqual(['Jane Roe', 'Building 4', '1600 Amphitheatre Pkwy', 'MOUNTAIN VIEW, CA 94043'])
  })
})

describe('missingAddressFields', () => {
  test('a complete address lacks nothing', () => {
    expect(missingAddressFields(us, 'US')).toEqual([])
    expect(missingAddressFields(de, 'US')).toEqual([])
    expect(missingAddressFields(ir, 'US')).toEqual([])
  })

  test('street and city are always needed', () => {
    expect(missingAddressFields({ ...de, street: ' ', city: null }, 'DE')).toEqual(['street', 'city'])
  })

  test('the postal code where the country has one; the state where it is required', () => {
    expect(missingAddressFields({ ...us, postalCode: '', region: null }, 'US')).toEqual(['postal code', 'region'])
    expect(missingAddressFields({ ...de, postalCode: null }, 'DE')).toEqual(['postal code'])
    // Hong Kong has no postal codes; Germany needs no state.
    expect(missingAddressFields({ name: 'Chan Tai Man', street: '1 Queen’s Road', city: 'Central', postalCode: null, country: 'HK' }, 'US')).toEqual([])
  })

  test('a label needs someone to address: a name or a company', () => {
    expect(missingAddressFields({ ...de, name: '', company: null }, 'DE')).toEqual(['name'])
    expect(missingAddressFields({ ...de, name: '' }, 'DE')).toEqual([])
  })
})

describe('personName and countryLine', () => {
  test('family name first where that is the custom', () => {
    expect(personName('Thị Lan', 'Nguyễn', 'VN')).toBe('Nguyễn Thị Lan')
    expect(personName('János', 'Kovács', 'HU')).toBe('Kovács János')
    expect(personName('Anna', 'Schmidt', 'DE')).toBe('Anna Schmidt')
    expect(personName(null, ' Schmidt ', 'DE')).toBe('Schmidt')
  })

  test('country lines in capitals', () => {
    expect(countryLine('DE')).toBe('GERMANY')
    expect(countryLine('VN')).toBe('VIETNAM')
    expect(countryLine('FR', 'fr')).toBe('FRANCE')
  })
})
