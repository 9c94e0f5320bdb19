import { writeFileSync } from 'node:fs'
import iconv from 'iconv-lite'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { fixture, queryDb, runCrm, tempHome } from '../helpers/runCrm.js'

interface ExportCase {
  file: string
  args?: string[]
  /** Every person in the file, as [first name, last name], in file order. */
  names: Array<[string | null, string | null]>
  /** The encoding `--dry-run` names. */
  encoding: string
  /** Values that show the file was read as its product writes it, by first name. */
  check?: Record<string, Record<string, string | null>>
}

// One file per product, written from its published column list (test/fixtures/exports/README.md).
const EXPORTS: ExportCase[] = [
  {
    file: 'google-contacts.csv', encoding: 'utf-8',
    names: [['Thị Lan', 'Nguyễn'], ['Robert', 'Miller'], ['Zoë', "D'Arcy-Smith"], ['Σοφία', 'Παπαδοπούλου']],
    check: { 'Σοφία': { birth_date: '1992-02-29', country: 'GR', city: 'Αθήνα' }, Robert: { birth_date: '--03-02' } },
  },
  {
    file: 'google-legacy.csv', encoding: 'utf-8',
    names: [['Margaret', 'Thompson'], ['Ahmet', 'Yılmaz'], ['Ольга', 'Смирнова']],
    check: { Ahmet: { gender: 'm', country: 'TR', company: 'Yılmaz Halı', job_title: 'Owner' } },
  },
  {
    file: 'outlook-desktop.csv', args: ['--date-format', 'mdy'], encoding: 'windows-1252',
    names: [['Jane', 'Doe'], ['Seán', "O'Brien"], ['Käthe', 'Müller-Lüdenscheidt'], ['Amara', 'Okafor'], ['José', 'Peña Núñez'], ['Åsa', 'Lindqvist'], ['Zoë', 'Fabre'], ['Chris', 'Taylor']],
    check: {
      Jane: { birth_date: '1980-04-01', gender: 'f' },
      'Seán': { birth_date: null, gender: null, company: null, job_title: null },
      Amara: { birth_date: null, gender: null, job_title: null, company: 'Okafor Dental' },
      'José': { birth_date: '1975-12-24', gender: 'm' },
      'Åsa': { company: null },
      Chris: { source: 'Jane Doe' },
    },
  },
  {
    file: 'outlook-com.csv', args: ['--date-format', 'dmy'], encoding: 'utf-8',
    names: [['Pierre', 'Lefèvre'], ['Ingrid', 'Bjørnstad'], ['Fatima', 'Zahra El Amrani']],
    check: { Pierre: { birth_date: '1975-06-15' }, Ingrid: { company: 'Bjørnstad Bakeri AS', city: 'Oslo', country: 'NO' } },
  },
  {
    file: 'apple-contacts.vcf', encoding: 'utf-8',
    names: [['Johnny', 'Appleseed'], ['Käthe', 'Müller-Lüdenscheidt'], ['Мария', 'Иванова'], [null, null]],
    check: { Johnny: { birth_date: '1974-09-26', city: 'Cupertino', notes: 'Prefers Honeycrisp, not Gala' }, 'Käthe': { birth_date: '--05-12' } },
  },
  {
    file: 'mailchimp.csv', encoding: 'utf-8',
    names: [['Sam', 'Green'], ['Renée', 'Duchêne-Ébert'], ['Mika', 'Häkkinen']],
    check: { Mika: { birth_date: '--12-31' } },
  },
  {
    file: 'hubspot.csv', encoding: 'utf-8',
    names: [['Olga', 'Ivanova'], ['Carlos', 'García'], ['Aoife', 'Ní Bhraonáin']],
    check: { Carlos: { job_title: null, consent_email: 'refused' }, Olga: { company: 'ООО Ромашка' } },
  },
  {
    file: 'shopify-customers.csv', encoding: 'utf-8',
    names: [['Emily', 'Chen'], ['Björn', 'Åkesson'], ['María José', 'Fernández de la Cruz']],
    check: {
      Emily: { external_id: '7012345678901', street: '88 King St W, Unit 1203', region: 'ON', country: 'CA', consent_email: 'granted', phone_e164: '+14165550123' },
      'Björn': { company: 'Åkesson Design AB', consent_email: 'refused' },
    },
  },
  {
    file: 'woocommerce-customers.csv', encoding: 'utf-8',
    names: [['Anna', 'Kowalska'], ['Jean-Luc', 'Lévêque'], ['Tomás', 'Ó Súilleabháin']],
    check: { Anna: { external_id: '14', street: 'ul. Długa 5, m. 3', postal_code: '00-238', city: 'Warszawa', country: 'PL' }, 'Jean-Luc': { company: 'Librairie Lévêque' } },
  },
  {
    file: 'square-customers.csv', encoding: 'utf-8',
    names: [['Kwame', 'Mensah'], ['Siobhán', 'McCarthy'], ['Jae-won', 'Park']],
    check: {
      Kwame: { birth_date: '--09-21', consent_email: 'granted', notes: 'Likes oat milk', street: '233 S Wacker Dr, Suite 9' },
      'Siobhán': { external_id: 'C-1002', birth_date: '1988-03-17' },
      'Jae-won': { consent_email: 'refused' },
    },
  },
  {
    file: 'excel-german.csv', encoding: 'windows-1252',
    names: [['Jürgen', 'Müller'], ['Käthe', 'Weiß-Özdemir'], ['Alex', 'Groß'], ['Zoë', 'Straßburger']],
    check: {
      'Jürgen': { birth_date: '1971-03-25', gender: 'm', city: 'München', country: 'DE', company: 'Bäckerei Müller GmbH' },
      'Käthe': { gender: 'f', country: 'DE' },
      Alex: { gender: 'x', country: 'AT', notes: 'Rechnung per Post; bitte "dringend" markieren' },
      'Zoë': { gender: null, birth_date: null, company: null, country: 'CH' },
    },
  },
  {
    file: 'excel-russian-1251.csv', encoding: 'windows-1251',
    names: [['Сергей', 'Иванов'], ['Анна-Мария', 'Щербакова'], ['Фёдор', 'Подъячев']],
    check: { 'Сергей': { gender: 'm', birth_date: '1985-02-14', city: 'Москва', company: 'ООО "Ромашка"' }, 'Анна-Мария': { gender: 'f' }, 'Фёдор': { gender: 'm' } },
  },
  {
    file: 'persian.csv', encoding: 'utf-8',
    names: [['محمد', 'رضایی'], ['فاطمه', 'احمدی‌نژاد'], ['پریسا', 'کریمی']],
    check: { 'محمد': { gender: 'm', birth_date: '1985-03-21', city: 'تهران' }, 'فاطمه': { gender: 'f', notes: 'مشتری ثابت' } },
  },
  {
    file: 'vietnamese-1258.csv', args: ['--date-format', 'dmy'], encoding: 'windows-1258',
    names: [['Thị Lan', 'Nguyễn'], ['Văn Đức', 'Trần'], ['Quỳnh Anh', 'Phạm'], ['Hoàng', 'Lê']],
    check: { 'Thị Lan': { gender: 'f', birth_date: '1985-07-14', city: 'Hà Nội', company: 'Phở Hà Nội' }, 'Văn Đức': { gender: 'm', notes: 'khách quen' }, 'Hoàng': { company: null } },
  },
]

type Customer = Record<string, string | null>

describe('every export in test/fixtures/exports imports whole', () => {
  test.each(EXPORTS)('$file', async ({ file, args = [], names, encoding, check = {} }) => {
    const home = tempHome()
    try {
      const path = fixture(`exports/${file}`)
      const crm = (...a: string[]) => runCrm(['--db', home.db, ...a], home.dir)
      const dry = await crm('import', path, ...args, '--dry-run')
      expect(dry.exitCode, dry.stderr).toBe(0)
      expect(dry.stderr).toContain(`encoding: ${encoding} (`)
      expect(dry.stderr).toContain(`would be ${names.length} inserted`)

      const r = await crm('import', path, ...args)
      expect(r.exitCode, r.stderr).toBe(0)
      expect(r.stderr).toContain(`${names.length} inserted, 0 updated, 0 unchanged, 0 skipped, 0 rejected`)

      const q = await crm('query', '--format', 'json')
      expect(q.exitCode, q.stderr).toBe(0)
      const rows = JSON.parse(q.stdout) as Customer[]
      expect(rows.map((c) => [c.first_name, c.last_name])).toEqual(names)
      for (const [first, values] of Object.entries(check)) {
        expect(rows.find((c) => c.first_name === first), first).toMatchObject(values)
      }
    } finally {
      home.cleanup()
    }
  })

  test('the company card of Apple Contacts keeps its name as the company, not as a person', async () => {
    const home = tempHome()
    try {
      const r = await runCrm(['--db', home.db, 'import', fixture('exports/apple-contacts.vcf')], home.dir)
      expect(r.exitCode, r.stderr).toBe(0)
      const [card] = queryDb<Customer>(home.db, "select * from customers where email = 'chau@example.vn'")
      expect(card).toMatchObject({ first_name: null, last_name: null, company: 'Ngô Bảo Châu' })
    } finally {
      home.cleanup()
    }
  })
})

describe('bad input still stops the import and changes nothing', () => {
  const withHome = async (body: (home: ReturnType<typeof tempHome>, crm: (...a: string[]) => ReturnType<typeof runCrm>) => Promise<void>) => {
    const home = tempHome()
    try {
      await body(home, (...a) => runCrm(['--db', home.db, ...a], home.dir))
    } finally {
      home.cleanup()
    }
  }
  const count = (db: string) => queryDb<{ n: number }>(db, 'select count(*) as n from customers')[0]!.n

  test('a gender word in no language is FILE:LINE: gender, and the database keeps what it had', () =>
    withHome(async (home, crm) => {
      expect((await crm('import', fixture('exports/hubspot.csv'))).exitCode).toBe(0)
      const file = join(home.dir, 'people.csv')
      writeFileSync(file, 'first_name,last_name,gender,birthday\nAnna,Berg,Unspecified,0/0/00\nBob,Stone,banana,\nCleo,Diaz,f,13/45/1990\n')
      const r = await crm('import', file, '--date-format', 'mdy')
      expect(r.exitCode).toBe(1)
      expect(r.stderr).toContain(`${file}:3: gender: "banana" is not a gender`)
      expect(r.stderr).toContain(`${file}:4: birth_date: "13/45/1990" is not a date`)
      expect(r.stderr).not.toContain(':2:')
      expect(r.stderr).toContain('2 of 3 rows rejected; nothing imported')
      expect(count(home.db)).toBe(3)
    }))

  test('--encoding overrides the guess: a wrong one turns м and ж into words of no language, and nothing is written', () =>
    withHome(async (home, crm) => {
      // The file: a few Cyrillic rows that the old chardet-based guess read as Central European.
      const file = join(home.dir, 'clients.csv')
      writeFileSync(file, iconv.encode('first_name;last_name;gender\r\nСергей;Иванов;м\r\nОльга;Петрова;ж\r\n', 'windows-1251'))
      const guessed = await crm('import', file, '--dry-run')
      expect(guessed.exitCode, guessed.stderr).toBe(0)
      expect(guessed.stderr).toMatch(/encoding: windows-1251 \(not UTF-8; .* read as Russian in windows-1251; next best .*; --encoding overrides\)/)
      const forced = await crm('import', file, '--encoding', 'windows-1251', '--dry-run')
      expect(forced.stderr).toContain('encoding: windows-1251 (--encoding)')
      const wrong = await crm('import', file, '--encoding', 'windows-1250')
      expect(wrong.exitCode).toBe(1)
      expect(wrong.stderr).toContain(`${file}:2: gender: "ě" is not a gender`)
      expect(wrong.stderr).toContain(`${file}:3: gender: "ć" is not a gender`)
      expect(count(home.db)).toBe(0)
    }))
})
