import iconv from 'iconv-lite'

/** Names, places and words of one language, as a shop's customer list holds them. */
export interface LanguageSample {
  header: string[]
  first: string[]
  last: string[]
  city: string[]
  /** A gender word or an empty cell, as real files mix them. */
  gender: string[]
  /** A company or note cell: often empty, sometimes Latin text in a non-Latin file. */
  other: string[]
}

const RUSSIAN: LanguageSample = {
  header: ['Имя', 'Фамилия', 'Эл. почта', 'Город', 'Пол', 'Организация'],
  first: ['Сергей', 'Ольга', 'Фёдор', 'Анна-Мария', 'Эдуард', 'Юлия', 'Щукин', 'Ёжик', 'Ян', 'Ия'],
  last: ['Иванов', 'Смирнова', 'Щербаков', 'Подъячев', 'Эйхенбаум', 'Цой', 'Хлебникова', 'Жуковская'],
  city: ['Москва', 'Санкт-Петербург', 'Екатеринбург', 'Нижний Новгород', '', 'Уфа'],
  gender: ['м', 'ж', '', 'муж', 'жен', 'Мужской', 'Женский'],
  other: ['', 'ООО "Ромашка"', 'Acme Ltd', '', 'ИП Щукин', 'звонить после 18:00'],
}

export const SAMPLES: Record<string, LanguageSample> = {
  'windows-1252': {
    header: ['Vorname', 'Nachname', 'E-Mail', 'Ort', 'Geschlecht', 'Firma'],
    first: ['Jürgen', 'François', 'José', 'Zoë', 'Åsa', 'Gaëlle', 'Björn', 'Inês', 'Núria', 'Søren'],
    last: ['Müller', 'Lefèvre', 'Peña', 'Ñúñez', 'Øberg', 'Gonçalves', 'Straße', 'Œhlenschläger', 'O’Brien'],
    city: ['München', 'Besançon', 'Málaga', 'Zürich', '', 'São Paulo', 'Århus'],
    gender: ['m', 'w', '', 'männlich', 'weiblich', 'd'],
    other: ['', 'Bäckerei Groß GmbH', 'Café Crème', '', '€ 1.234,56 Umsatz', 'Señor'],
  },
  'windows-1250': {
    header: ['Imię', 'Nazwisko', 'E-mail', 'Miasto', 'Płeć', 'Firma'],
    first: ['Łukasz', 'Paweł', 'Zdeněk', 'Jiří', 'Małgorzata', 'Źdźisław', 'Božena', 'Ľubomír', 'Ágnes', 'Ştefan'],
    last: ['Wąsik', 'Żółkiewski', 'Dvořák', 'Šťastný', 'Kowalczyk', 'Ślusarczyk', 'Růžička', 'Dobeš', 'Kőszegi'],
    city: ['Kraków', 'Łódź', 'Brno', 'Gdańsk', '', 'Třebíč', 'Poznań'],
    gender: ['m', 'k', '', 'mężczyzna', 'kobieta'],
    other: ['', 'Sklep „Żabka”', 'Acme s.r.o.', '', 'dzwonić po 18:00'],
  },
  'windows-1251': RUSSIAN,
  'windows-1253': {
    header: ['Όνομα', 'Επώνυμο', 'Email', 'Πόλη', 'Φύλο', 'Εταιρεία'],
    first: ['Γιώργος', 'Άννα', 'Ελένη', 'Δημήτρης', 'Ιωάννης', 'Ζωή', 'Ξανθή', 'Ψυχάρης', 'Ευάγγελος', 'Ϊνώ'],
    last: ['Παπαδόπουλος', 'Οικονόμου', 'Αθανασίου', 'Χατζηγεωργίου', 'Ρήγα', 'Θεοδωράκης', 'Ύψιλον'],
    city: ['Αθήνα', 'Θεσσαλονίκη', 'Πάτρα', 'Ηράκλειο', '', 'Άργος'],
    gender: ['Α', 'Γ', '', 'Άνδρας', 'Γυναίκα'],
    other: ['', 'Acme Α.Ε.', 'Ταβέρνα «Ο Γιάννης»', '', 'τηλ. μετά τις 18:00'],
  },
  'windows-1254': {
    header: ['Ad', 'Soyad', 'E-posta', 'Şehir', 'Cinsiyet', 'Şirket'],
    first: ['Şükrü', 'Ayşe', 'İbrahim', 'Gülşen', 'Çağlar', 'Ömer', 'Işıl', 'Doğan', 'Ümit', 'Ilgın'],
    last: ['Yılmaz', 'Çelik', 'Öztürk', 'Ağaoğlu', 'Şahin', 'Kılıç', 'Güneş', 'Aydın'],
    city: ['İstanbul', 'İzmir', 'Ankara', 'Muğla', '', 'Eskişehir'],
    gender: ['e', 'k', '', 'erkek', 'kadın', 'Kadın', 'Erkek'],
    other: ['', 'Acme Ltd. Şti.', 'Çiçekçi Gül', '', 'saat 18:00 sonrası arayın'],
  },
  'windows-1255': {
    header: ['שם פרטי', 'שם משפחה', 'דוא"ל', 'עיר', 'מין', 'חברה'],
    first: ['דוד', 'שרה', 'יוסף', 'מרים', 'אברהם', 'רחל', 'צבי', 'שלמה', 'ציפורה', 'חיים'],
    last: ['כהן', 'לוי', 'מזרחי', 'פרץ', 'ביטון', 'אברהמי', 'שפירא', 'קצנלנבוגן'],
    city: ['תל אביב', 'ירושלים', 'חיפה', 'באר שבע', '', 'אשדוד'],
    gender: ['ז', 'נ', '', 'זכר', 'נקבה'],
    other: ['', 'Acme Ltd', 'מאפיית הלחם', '', 'להתקשר אחרי 18:00'],
  },
  'windows-1256': {
    header: ['نام', 'نام خانوادگي', 'ايميل', 'شهر', 'جنسيت', 'شركت'],
    first: ['محمد', 'فاطمه', 'علي', 'پريسا', 'گلناز', 'ژاله', 'چنگيز', 'زهرا', 'حسين', 'مريم'],
    last: ['رضايي', 'احمدي', 'كريمي', 'چمران', 'پورمحمدي', 'گودرزي', 'ژيان', 'موسوي'],
    city: ['تهران', 'اصفهان', 'شيراز', 'تبريز', '', 'مشهد'],
    gender: ['مرد', 'زن', '', 'مرد', 'زن'],
    other: ['', 'Acme Ltd', 'شركت پارس', '', 'بعد از ساعت ۱۸ تماس بگيريد'.replace(/۱۸/g, '18')],
  },
  'windows-1257': {
    header: ['Vardas', 'Pavardė', 'El. paštas', 'Miestas', 'Lytis', 'Įmonė'],
    first: ['Jonas', 'Rūta', 'Vytautas', 'Kęstutis', 'Jānis', 'Līga', 'Ģirts', 'Žydrūnas', 'Ķirsis', 'Ērika'],
    last: ['Petrauskas', 'Žemaitytė', 'Šimkus', 'Bērziņš', 'Ozoliņa', 'Kalniņš', 'Čepulis', 'Ļaudaks', 'Grigaliūnienė'],
    city: ['Vilnius', 'Kaunas', 'Šiauliai', 'Rīga', '', 'Klaipėda', 'Jūrmala'],
    gender: ['v', 'm', '', 'vyras', 'moteris'],
    other: ['', 'UAB „Ąžuolas”', 'Acme SIA', '', 'skambinti po 18:00'],
  },
  'windows-1258': {
    header: ['Tên', 'Họ', 'Email', 'Thành phố', 'Giới tính', 'Công ty'],
    first: ['Văn An', 'Thị Bích', 'Hoàng Phúc', 'Minh Đức', 'Ngọc Ánh', 'Quỳnh', 'Thủy', 'Hữu Nghĩa', 'Diễm', 'Ỷ Lan'],
    last: ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Võ', 'Đặng', 'Bùi'],
    city: ['Hà Nội', 'Hồ Chí Minh', 'Đà Nẵng', 'Huế', '', 'Cần Thơ'],
    gender: ['nam', 'nữ', '', 'Nam', 'Nữ'],
    other: ['', 'Phở Hà Nội', 'Acme Co.', '', 'gọi sau 18 giờ'],
  },
  'koi8-r': RUSSIAN,
  'iso-8859-1': {
    header: ['Prénom', 'Nom', 'Courriel', 'Ville', 'Sexe', 'Société'],
    first: ['Hélène', 'Gaëtan', 'Noël', 'Françoise', 'Jérôme', 'Maëlys', 'Anaïs', 'Ångström', 'Íñigo', 'Þóra'],
    last: ['Lefèvre', 'Dupré', 'Bréchet', 'Garçon', 'Müller', 'Façade', 'Ørsted'],
    city: ['Besançon', 'Orléans', 'Genève', 'Zürich', '', 'Saint-Étienne'],
    gender: ['h', 'f', '', 'homme', 'femme'],
    other: ['', 'Boulangerie Crème Brûlée', 'Acme SARL', '', 'appeler après 18h'],
  },
  'iso-8859-2': {
    header: ['Jméno', 'Příjmení', 'E-mail', 'Město', 'Pohlaví', 'Firma'],
    first: ['Jiří', 'Zdeněk', 'Šárka', 'Łucja', 'Ľuboš', 'Přemysl', 'Dagmar', 'Žofie', 'Ágota', 'Ćiril'],
    last: ['Dvořák', 'Šťastný', 'Růžička', 'Nováková', 'Żurawski', 'Kučera', 'Ďurica', 'Hájek'],
    city: ['Praha', 'Brno', 'Třebíč', 'Ústí nad Labem', '', 'Łódź'],
    gender: ['m', 'ž', '', 'muž', 'žena'],
    other: ['', 'Pekařství U Zlatého klasu', 'Acme s.r.o.', '', 'volat po 18:00'],
  },
  'iso-8859-5': RUSSIAN,
  'iso-8859-7': {
    header: ['Όνομα', 'Επώνυμο', 'Email', 'Πόλη', 'Φύλο', 'Εταιρεία'],
    first: ['Άννα', 'Γιώργος', 'Ελένη', 'Ανδρέας', 'Ευδοκία', 'Ζήσης', 'Όλγα', 'Ήρα'],
    last: ['Παπαδάκης', 'Καραμανλή', 'Ψαρρός', 'Ξενάκης', 'Φωτίου', 'Ύδρας'],
    city: ['Αθήνα', 'Άργος', 'Ιωάννινα', 'Χανιά', '', 'Έδεσσα'],
    gender: ['Α', 'Γ', '', 'Άνδρας', 'Γυναίκα'],
    other: ['', 'Acme Α.Ε.', 'Φούρνος', '', 'τηλ. μετά τις 18:00'],
  },
  'iso-8859-9': {
    header: ['Ad', 'Soyad', 'E-posta', 'Şehir', 'Cinsiyet', 'Şirket'],
    first: ['Ayşe', 'Şükrü', 'İlkay', 'Gökçe', 'Ömer', 'Ilgaz', 'Çiğdem', 'Uğur'],
    last: ['Yıldız', 'Öztürk', 'Şahin', 'Karağaç', 'Çakır', 'Kılıçdaroğlu'],
    city: ['İstanbul', 'Bursa', 'Muğla', 'Çanakkale', '', 'Iğdır'],
    gender: ['e', 'k', '', 'erkek', 'kadın'],
    other: ['', 'Acme A.Ş.', 'Fırın Güneş', '', 'saat 18:00 sonrası'],
  },
  'iso-8859-15': {
    header: ['Etunimi', 'Sukunimi', 'Sähköposti', 'Kaupunki', 'Sukupuoli', 'Yritys'],
    first: ['Cœlestine', 'Šárka', 'Päivi', 'Žaneta', 'Jyrki', 'Sœur Anne', 'Åke', 'Mikaël'],
    last: ['Virtanen', 'Mäkelä', 'Häkkinen', 'Šimonen', 'Cœurdevey', 'Žukov', 'Ylönen'],
    city: ['Helsinki', 'Jyväskylä', 'Hämeenlinna', 'Oulu', '', 'Nancy'],
    gender: ['m', 'f', '', 'mies', 'nainen'],
    other: ['', 'Kahvila Œuf', 'Acme Oy', '', 'hinta 12 €'],
  },
}

/** Vietnamese as Windows-1258 writes it: the letters it holds precomposed, tones as combining marks. */
export function cp1258Form(text: string): string {
  const fits = (c: string) => c.length === 1 && iconv.decode(iconv.encode(c, 'windows-1258'), 'windows-1258') === c
  return text.normalize('NFD').replace(/(\P{M})(\p{M}+)/gu, (_all, base: string, marks: string) => {
    let rest = [...marks]
    for (let again = true; again; ) {
      again = false
      for (const m of rest) {
        const joined = (base + m).normalize('NFC')
        if (fits(joined)) {
          base = joined
          rest = rest.filter((r) => r !== m)
          again = true
          break
        }
      }
    }
    return base + rest.join('')
  })
}

/** A semicolon file of `rows` customers (plus the header) in the sample's language; deterministic. */
export function sampleText(encoding: string, rows: number): string {
  const s = SAMPLES[encoding]!
  const lines = [s.header.join(';')]
  for (let i = 0; i < rows; i++) {
    const first = s.first[i % s.first.length]!
    const last = s.last[(i * 7 + 3) % s.last.length]!
    const email = i % 4 === 3 ? '' : `customer${i}@example.com`
    lines.push([first, last, email, s.city[i % s.city.length], s.gender[i % s.gender.length], s.other[(i * 5) % s.other.length]].join(';'))
  }
  const text = lines.join('\r\n') + '\r\n'
  return encoding === 'windows-1258' ? cp1258Form(text) : text
}

/** The sample encoded, after checking that every character has a byte in that code page. */
export function sampleBytes(encoding: string, rows: number): { text: string; bytes: Buffer } {
  const text = sampleText(encoding, rows)
  const bytes = iconv.encode(text, encoding)
  const back = iconv.decode(bytes, encoding)
  if (back !== text) {
    const at = [...text].findIndex((c, i) => c !== [...back][i])
    throw new Error(`${encoding} cannot hold ${JSON.stringify([...text][at])} (test data)`)
  }
  return { text, bytes }
}
