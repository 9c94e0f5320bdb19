/**
 * Pools of realistic, deliberately messy customer data: names in Latin with diacritics,
 * Cyrillic, Vietnamese and Persian; addresses in several countries; phone numbers
 * written the ways people write them. Deterministic given the random source.
 */

export { seededRandom } from '../src/util/seededRandom.js'

export type Rng = () => number
export const pick = <T>(rng: Rng, items: readonly T[]): T => items[Math.floor(rng() * items.length)]!
export const chance = (rng: Rng, p: number): boolean => rng() < p
export const int = (rng: Rng, min: number, max: number): number => min + Math.floor(rng() * (max - min + 1))
const digits = (rng: Rng, n: number): string => Array.from({ length: n }, () => String(int(rng, 0, 9))).join('')

export interface Locale {
  country: string
  weight: number
  female: readonly string[]
  male: readonly string[]
  /** Surnames; `femaleSurname` derives the female form where the language has one. */
  last: readonly string[]
  femaleSurname?: (last: string) => string
  cities: ReadonlyArray<readonly [city: string, region: string]>
  streets: readonly string[]
  postal: (rng: Rng) => string
  phone: (rng: Rng) => string
  emailDomain: readonly string[]
}

const us: Locale = {
  country: 'US',
  weight: 30,
  female: ['Mary', 'Patricia', 'Jennifer', 'Linda', 'Elizabeth', 'Barbara', 'Susan', 'Jessica', 'Sarah', 'Karen', 'Zoë', 'Chloé', 'Renée'],
  male: ['James', 'Robert', 'John', 'Michael', 'David', 'William', 'Richard', 'Joseph', 'Thomas', 'Charles', 'José', 'Rob', 'Bill'],
  last: ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodríguez', 'Martínez', "O'Brien", 'Nguyen', 'Lee'],
  cities: [['New York', 'NY'], ['Los Angeles', 'CA'], ['Chicago', 'IL'], ['Houston', 'TX'], ['San José', 'CA'], ['Seattle', 'WA'], ['Boston', 'MA']],
  streets: ['Main St', 'Oak Avenue', 'Maple Dr.', 'Broadway', 'Elm Street', 'Sunset Blvd'],
  postal: (r) => digits(r, 5),
  phone: (r) => {
    const a = `${int(r, 2, 9)}${digits(r, 2)}`, b = digits(r, 3), c = digits(r, 4)
    return pick(r, [`(${a}) ${b}-${c}`, `${a}-${b}-${c}`, `+1 ${a} ${b} ${c}`, `${a}${b}${c}`, `${a}.${b}.${c}`])
  },
  emailDomain: ['gmail.com', 'yahoo.com', 'outlook.com', 'icloud.com', 'aol.com'],
}

const de: Locale = {
  country: 'DE',
  weight: 20,
  female: ['Anna', 'Lena', 'Sophie', 'Marie', 'Jutta', 'Ursula', 'Käthe', 'Bärbel', 'Sabine'],
  male: ['Jürgen', 'Lukas', 'Felix', 'Maximilian', 'Klaus', 'Günter', 'Jörg', 'Stefan', 'Uwe'],
  last: ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weiß', 'Schröder', 'Größe', 'Köhler', 'Hoffmann', 'Schäfer'],
  cities: [['München', 'Bayern'], ['Köln', 'Nordrhein-Westfalen'], ['Düsseldorf', 'Nordrhein-Westfalen'], ['Berlin', 'Berlin'], ['Nürnberg', 'Bayern'], ['Hamburg', 'Hamburg']],
  streets: ['Hauptstraße', 'Bahnhofstr.', 'Schillerstraße', 'Goethestr.', 'Am Markt', 'Lindenallee'],
  postal: (r) => String(int(r, 10000, 99999)),
  phone: (r) => {
    const area = pick(r, ['30', '89', '221', '211', '40', '911']), n = digits(r, 7)
    return pick(r, [`+49 ${area} ${n}`, `0${area} ${n}`, `0${area}/${n}`, `0049 (0)${area}-${n}`, `+49 (0) ${area} ${n}`])
  },
  emailDomain: ['web.de', 'gmx.de', 't-online.de', 'gmail.com'],
}

const fr: Locale = {
  country: 'FR',
  weight: 8,
  female: ['Hélène', 'Élodie', 'Camille', 'Léa', 'Françoise', 'Amélie', 'Cécile'],
  male: ['François', 'Jérôme', 'Théo', 'Loïc', 'Benoît', 'Noël', 'René'],
  last: ['Martin', 'Bernard', 'Dubois', 'Lefèvre', 'Moreau', 'Girard', 'Mercier', 'Bréhier'],
  cities: [['Paris', 'Île-de-France'], ['Besançon', 'Bourgogne-Franche-Comté'], ['Orléans', 'Centre-Val de Loire'], ['Lyon', 'Auvergne-Rhône-Alpes']],
  streets: ['rue de la Paix', 'avenue des Champs-Élysées', 'boulevard Saint-Germain', 'rue Victor Hugo'],
  postal: (r) => String(int(r, 10000, 95999)),
  phone: (r) => {
    const n = `${int(r, 1, 7)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)} ${digits(r, 2)}`
    return pick(r, [`+33 ${n}`, `0${n}`, `0${n.replace(/ /g, '.')}`])
  },
  emailDomain: ['orange.fr', 'free.fr', 'laposte.net', 'gmail.com'],
}

const es: Locale = {
  country: 'ES',
  weight: 6,
  female: ['María', 'Lucía', 'Begoña', 'Inés', 'Sofía', 'Nuria'],
  male: ['José', 'Íñigo', 'Jesús', 'Andrés', 'Álvaro', 'Ramón'],
  last: ['García', 'Fernández', 'González', 'Rodríguez', 'López', 'Martínez', 'Sánchez', 'Muñoz', 'Ibáñez'],
  cities: [['Madrid', 'Madrid'], ['Sevilla', 'Andalucía'], ['A Coruña', 'Galicia'], ['Málaga', 'Andalucía'], ['Cádiz', 'Andalucía']],
  streets: ['Calle Mayor', 'Avenida de la Constitución', 'Plaza de España', 'Calle Alcalá'],
  postal: (r) => String(int(r, 1000, 52999)).padStart(5, '0'),
  phone: (r) => pick(r, [`+34 ${int(r, 6, 9)}${digits(r, 2)} ${digits(r, 3)} ${digits(r, 3)}`, `${int(r, 6, 9)}${digits(r, 8)}`]),
  emailDomain: ['gmail.com', 'hotmail.es', 'telefonica.net'],
}

const pl: Locale = {
  country: 'PL',
  weight: 5,
  female: ['Małgorzata', 'Agnieszka', 'Katarzyna', 'Żaneta', 'Józefa'],
  male: ['Łukasz', 'Paweł', 'Michał', 'Wojciech', 'Przemysław'],
  last: ['Nowak', 'Kowalski', 'Wiśniewski', 'Wójcik', 'Kamiński', 'Łukaszewicz', 'Wałęsa'],
  femaleSurname: (l) => l.replace(/ski$/, 'ska').replace(/cki$/, 'cka'),
  cities: [['Kraków', 'małopolskie'], ['Łódź', 'łódzkie'], ['Warszawa', 'mazowieckie'], ['Gdańsk', 'pomorskie'], ['Wrocław', 'dolnośląskie']],
  streets: ['ul. Długa', 'ul. Marszałkowska', 'ul. Piotrkowska', 'al. Jerozolimskie'],
  postal: (r) => `${digits(r, 2)}-${digits(r, 3)}`,
  phone: (r) => pick(r, [`+48 ${digits(r, 2)} ${digits(r, 3)} ${digits(r, 2)} ${digits(r, 2)}`, `${digits(r, 3)}-${digits(r, 3)}-${digits(r, 3)}`]),
  emailDomain: ['wp.pl', 'onet.pl', 'interia.pl', 'gmail.com'],
}

const ru: Locale = {
  country: 'RU',
  weight: 10,
  female: ['Анна', 'Ольга', 'Елена', 'Наталья', 'Татьяна', 'Юлия', 'Ксения'],
  male: ['Иван', 'Сергей', 'Алексей', 'Дмитрий', 'Андрей', 'Юрий', 'Фёдор'],
  last: ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Соколов', 'Лебедев', 'Козлов', 'Волков'],
  femaleSurname: (l) => l + 'а',
  cities: [['Москва', 'Москва'], ['Санкт-Петербург', 'Санкт-Петербург'], ['Новосибирск', 'Новосибирская область'], ['Казань', 'Татарстан'], ['Екатеринбург', 'Свердловская область']],
  streets: ['ул. Ленина', 'Невский проспект', 'ул. Пушкина', 'ул. Гагарина', 'пр. Мира'],
  postal: (r) => digits(r, 6),
  phone: (r) => {
    const a = pick(r, ['495', '812', '383', '843', '916', '903']), b = digits(r, 3), c = digits(r, 2), d = digits(r, 2)
    return pick(r, [`+7 (${a}) ${b}-${c}-${d}`, `8 ${a} ${b} ${c} ${d}`, `+7${a}${b}${c}${d}`, `8(${a})${b}-${c}-${d}`])
  },
  emailDomain: ['yandex.ru', 'mail.ru', 'rambler.ru', 'gmail.com'],
}

const vn: Locale = {
  country: 'VN',
  weight: 8,
  female: ['Thị Hương', 'Thị Lan', 'Thị Mai', 'Ngọc Linh', 'Thu Thảo', 'Thị Hằng'],
  male: ['Văn Nam', 'Đức Minh', 'Văn Tuấn', 'Quốc Hùng', 'Tiến Dũng', 'Văn Đạt'],
  last: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Đặng', 'Bùi'],
  cities: [['Hà Nội', 'Hà Nội'], ['Thành phố Hồ Chí Minh', 'Hồ Chí Minh'], ['Đà Nẵng', 'Đà Nẵng'], ['Huế', 'Thừa Thiên Huế'], ['Hải Phòng', 'Hải Phòng']],
  streets: ['Đường Lê Lợi', 'Phố Hàng Bạc', 'Đường Nguyễn Huệ', 'Đường Trần Hưng Đạo'],
  postal: (r) => digits(r, 6),
  phone: (r) => {
    const p = pick(r, ['90', '91', '93', '98', '97']), n = `${digits(r, 3)} ${digits(r, 4)}`
    return pick(r, [`+84 ${p} ${n}`, `0${p} ${n}`, `0${p}${n.replace(' ', '')}`])
  },
  emailDomain: ['gmail.com', 'yahoo.com.vn', 'fpt.vn'],
}

const ir: Locale = {
  country: 'IR',
  weight: 6,
  female: ['فاطمه', 'زهرا', 'مریم', 'سارا', 'نرگس', 'Maryam', 'Shirin'],
  male: ['محمد', 'علی', 'حسین', 'رضا', 'مهدی', 'Reza', 'Dariush'],
  last: ['رضایی', 'احمدی', 'محمدی', 'حسینی', 'کریمی', 'موسوی', 'Tehrani', 'Karimi'],
  cities: [['تهران', 'تهران'], ['اصفهان', 'اصفهان'], ['شیراز', 'فارس'], ['مشهد', 'خراسان رضوی'], ['Tehran', 'Tehran'], ['Tabriz', 'East Azerbaijan']],
  streets: ['خیابان ولیعصر', 'خیابان انقلاب', 'Enghelab St.', 'میدان آزادی'],
  postal: (r) => pick(r, [digits(r, 10), `${digits(r, 5)}-${digits(r, 5)}`]),
  phone: (r) => {
    const n = `912${digits(r, 7)}`
    const persian = (s: string) => s.replace(/\d/g, (d) => '۰۱۲۳۴۵۶۷۸۹'[Number(d)]!)
    return pick(r, [`+98 ${n.slice(0, 3)} ${n.slice(3, 6)} ${n.slice(6)}`, `0${n}`, persian(`0${n}`), `0098${n}`])
  },
  emailDomain: ['gmail.com', 'yahoo.com', 'chmail.ir'],
}

const gb: Locale = {
  country: 'GB',
  weight: 7,
  female: ['Olivia', 'Amelia', 'Isla', 'Siobhán', 'Niamh', 'Emily'],
  male: ['Oliver', 'Harry', 'George', 'Seán', 'Ciarán', 'Jack'],
  last: ['Taylor', 'Davies', 'Evans', 'Thomas', 'Roberts', "O'Connor", 'Ní Bhriain'],
  cities: [['London', 'Greater London'], ['Manchester', 'Greater Manchester'], ['Edinburgh', 'Scotland'], ['Cardiff', 'Wales']],
  streets: ['High Street', 'Station Road', 'Church Lane', 'Victoria Road'],
  postal: (r) => `${pick(r, ['SW1A', 'M1', 'EH1', 'CF10', 'E14', 'N1'])} ${int(r, 1, 9)}${pick(r, ['AA', 'BD', 'XY', 'QT'])}`,
  phone: (r) => pick(r, [`+44 20 ${digits(r, 4)} ${digits(r, 4)}`, `020 ${digits(r, 4)} ${digits(r, 4)}`, `07${digits(r, 3)} ${digits(r, 6)}`]),
  emailDomain: ['btinternet.com', 'gmail.com', 'hotmail.co.uk'],
}

export const LOCALES: readonly Locale[] = [us, de, fr, es, pl, ru, vn, ir, gb]
const totalWeight = LOCALES.reduce((s, l) => s + l.weight, 0)

export function pickLocale(rng: Rng): Locale {
  let x = rng() * totalWeight
  for (const l of LOCALES) {
    x -= l.weight
    if (x < 0) return l
  }
  return LOCALES[0]!
}

export const SOURCES = ['Google', 'google ads', 'Instagram', 'Facebook', 'Walk-in', 'walk in', 'Friend', 'Word of mouth', 'Newspaper', 'Flyer', 'Empfehlung', 'Сарафанное радио', 'Website', '']
export const TERRITORIES = ['North', 'South', 'Süd', 'East', 'West', 'Zentral', '']
export const REPS = ['José Álvarez', 'Jörg Schmidt', 'Anna Kowalska', 'Nguyễn Văn An', 'Ольга Петрова', 'Sam Lee', '']
export const TAGS = ['vip', 'newsletter', 'wholesale', 'B2B', 'Stammkunde', 'early-adopter', 'allergy: nuts', 'постоянный']
export const JOBS = ['Engineer', 'Teacher', 'Ärztin', 'Designer', 'Owner', 'Manager', 'Инженер', 'Kỹ sư', '']
export const COMPANIES = ['Acme Inc.', 'Müller & Söhne GmbH', 'ООО «Ромашка»', 'Công ty TNHH Minh Phát', 'شرکت آریا', 'Café Zoë', '']

export interface Product {
  name: string
  category: string
  /** Typical price in cents. */
  price: number
}

const categories: Array<[string, string[], number, number]> = [
  ['Coffee', ['Espresso beans 1kg', 'Filter coffee 500g', 'Decaf 250g', 'Cold brew kit'], 900, 4500],
  ['Machines', ['Espresso machine', 'Grinder', 'Milk frother', 'Moka pot'], 3000, 120000],
  ['Tea', ['Green tea', 'Earl Grey', 'Matcha', 'Rooibos', 'Chai'], 400, 3000],
  ['Accessories', ['Tamper', 'Cup set', 'Thermos', 'Scale', 'Filter papers'], 500, 9000],
  ['Pastry', ['Croissant', 'Éclair', 'Cinnamon roll', 'Bánh mì', 'Пирожок'], 150, 900],
  ['Gift cards', ['Gift card 25', 'Gift card 50', 'Gift card 100'], 2500, 10000],
  ['Courses', ['Barista course', 'Latte art workshop'], 6000, 25000],
]

export const PRODUCTS: Product[] = categories.flatMap(([category, names, lo, hi], ci) =>
  names.map((name, i) => ({ name, category, price: Math.round(lo + ((hi - lo) * ((i * 7 + ci * 3) % 10)) / 9) })),
)
