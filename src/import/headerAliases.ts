/**
 * Header names real exports use, by import type. Keys are folded and stripped of
 * everything but letters and digits ("E-mail Address" → "emailaddress"), so spacing,
 * case and punctuation never matter. Sources: the exporters' own files (Google Contacts,
 * Outlook desktop and Outlook.com, Mailchimp audience exports, HubSpot contact exports, Shopify,
 * WooCommerce and Square customer exports; see test/fixtures/exports/README.md), and the column
 * names of Russian, Persian and Vietnamese spreadsheets as they fold (Дата рождения → datarozhdeniya,
 * نام → nm, Ngày sinh → ngaysinh).
 */
export type ImportType = 'customers' | 'purchases' | 'interactions' | 'nps'

export const CUSTOMER_FIELDS = [
  'external_id', 'first_name', 'last_name', 'email', 'phone', 'gender', 'birth_date', 'street', 'city', 'region',
  'postal_code', 'country', 'company', 'job_title', 'source', 'territory', 'sales_rep', 'consent_email', 'consent_mail',
  'consent_sms', 'consent_phone', 'notes', 'tags',
] as const
/** Fields a column can map to that are not stored as such: they feed other fields. */
export const CUSTOMER_VIRTUAL_FIELDS = ['full_name', 'street2', 'mailchimp_address', 'email_unsubscribed'] as const

export const PURCHASE_FIELDS = [
  'customer_email', 'customer_external_id', 'purchased_at', 'amount', 'unit_price', 'currency', 'product', 'category', 'quantity', 'order_id', 'line',
] as const
export const INTERACTION_FIELDS = ['customer_email', 'customer_external_id', 'occurred_at', 'channel', 'kind', 'note'] as const
export const NPS_FIELDS = ['customer_email', 'customer_external_id', 'score', 'answered_at', 'comment', 'campaign'] as const

const CUSTOMER_ALIASES: Record<string, string[]> = {
  external_id: ['externalid', 'id', 'customerid', 'customernumber', 'customerno', 'clientid', 'recordid', 'contactid', 'kundennummer', 'recid', 'referenceid'],
  first_name: ['firstname', 'givenname', 'forename', 'first', 'vorname', 'prenom', 'nombre', 'imia', 'imya', 'ten', 'nm'],
  last_name: ['lastname', 'surname', 'familyname', 'last', 'nachname', 'nom', 'apellido', 'apellidos', 'familiia', 'familiya', 'ho', 'nmkhnwdgy'],
  full_name: ['name', 'fullname', 'displayname', 'contactname', 'customername', 'fio', 'hovaten'],
  email: ['email', 'emailaddress', 'mail', 'emailaddr', 'primaryemail', 'emailadresse', 'courriel', 'correo', 'epost', 'elpochta', 'elektronnayapochta', 'ymyl'],
  phone: [
    'phone', 'phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'mobilephonenumber', 'cell', 'cellphone', 'primaryphone', 'telefon', 'handy', 'telefono',
    'mobil', 'billingphone', 'defaultaddressphone', 'tlfn', 'tlfnhmrh', 'dienthoai',
  ],
  gender: ['gender', 'sex', 'geschlecht', 'pol', 'jnsyt', 'gioitinh'],
  birth_date: ['birthdate', 'birthday', 'dateofbirth', 'dob', 'geburtsdatum', 'geburtstag', 'bday', 'date_of_birth', 'datarozhdeniya', 'denrozhdeniya', 'trykhtwld', 'ngaysinh'],
  street: [
    'street', 'streetaddress', 'address', 'address1', 'addressline1', 'street1', 'strasse', 'adresse', 'direccion', 'addressstreet', 'streetaddress1',
    'billingaddress1', 'defaultaddressaddress1', 'adres', 'adrs', 'diachi',
  ],
  street2: ['address2', 'addressline2', 'street2', 'streetaddress2', 'billingaddress2', 'defaultaddressaddress2'],
  city: ['city', 'town', 'locality', 'ort', 'stadt', 'ville', 'ciudad', 'gorod', 'suburb', 'billingcity', 'defaultaddresscity', 'shhr', 'thanhpho'],
  region: ['region', 'state', 'province', 'stateregion', 'stateprovince', 'bundesland', 'county', 'oblast', 'provincia', 'billingstate', 'defaultaddressprovincecode'],
  postal_code: ['postalcode', 'zip', 'zipcode', 'postcode', 'plz', 'cp', 'codepostal', 'postleitzahl', 'pochtovyiindeks', 'indeks', 'billingpostcode', 'defaultaddresszip', 'kdpsty'],
  country: ['country', 'countryregion', 'countrycode', 'land', 'pays', 'pais', 'strana', 'billingcountry', 'defaultaddresscountrycode'],
  company: ['company', 'companyname', 'organization', 'organisation', 'organizationname', 'org', 'firma', 'business', 'employer', 'billingcompany', 'defaultaddresscompany', 'kompaniya', 'congty'],
  job_title: ['jobtitle', 'position', 'organizationtitle', 'role', 'occupation', 'beruf'],
  source: ['source', 'leadsource', 'originalsource', 'heardfrom', 'howdidyouhearaboutus', 'howdidyouhearofus', 'referral', 'referredby', 'acquisitionchannel', 'quelle'],
  territory: ['territory', 'area', 'salesterritory', 'gebiet'],
  sales_rep: ['salesrep', 'rep', 'accountmanager', 'owner', 'contactowner', 'salesperson', 'betreuer'],
  consent_email: ['consentemail', 'emailconsent', 'emailoptin', 'acceptsemailmarketing', 'acceptsmarketing', 'newsletter', 'emailmarketing', 'emailsubscriptionstatus'],
  consent_mail: ['consentmail', 'mailconsent', 'postconsent', 'consentpost', 'directmail', 'postalmail'],
  consent_sms: ['consentsms', 'smsconsent', 'smsoptin', 'acceptssmsmarketing', 'smsmarketing'],
  consent_phone: ['consentphone', 'phoneconsent', 'callconsent'],
  notes: ['notes', 'note', 'comments', 'comment', 'remarks', 'bemerkung', 'notizen', 'memo', 'primechanie', 'twdyht', 'ghichu'],
  tags: ['tags', 'tag', 'labels', 'categories', 'groupmembership', 'groups', 'segments'],
  email_unsubscribed: ['unsubscribedfromallemail'],
}

const REF_ALIASES: Record<string, string[]> = {
  customer_email: ['customeremail', 'email', 'emailaddress', 'mail', 'respondentemail', 'contactemail'],
  customer_external_id: ['customerexternalid', 'customerid', 'externalid', 'customer', 'customernumber', 'clientid', 'contactid', 'kundennummer'],
}

const PURCHASE_ALIASES: Record<string, string[]> = {
  ...REF_ALIASES,
  purchased_at: ['purchasedat', 'date', 'orderdate', 'purchasedate', 'createdat', 'created', 'datetime', 'timestamp', 'paidat', 'saledate', 'datum'],
  amount: ['amount', 'total', 'linetotal', 'subtotal', 'value', 'sum', 'betrag', 'amountcents'],
  unit_price: ['price', 'unitprice', 'lineitemprice', 'preis'],
  currency: ['currency', 'curr', 'waehrung', 'wahrung'],
  product: ['product', 'productname', 'item', 'itemname', 'lineitemname', 'description', 'artikel', 'sku'],
  category: ['category', 'productcategory', 'producttype', 'kategorie'],
  quantity: ['quantity', 'qty', 'lineitemquantity', 'menge', 'units'],
  order_id: ['orderid', 'order', 'ordernumber', 'orderno', 'invoice', 'invoiceid', 'invoicenumber', 'receipt', 'bestellnummer'],
  line: ['line', 'lineno', 'linenumber', 'position', 'lineitem'],
}

const INTERACTION_ALIASES: Record<string, string[]> = {
  ...REF_ALIASES,
  occurred_at: ['occurredat', 'date', 'datetime', 'when', 'timestamp', 'createdat', 'contactedat'],
  channel: ['channel', 'medium', 'via'],
  kind: ['kind', 'type', 'category', 'reason'],
  note: ['note', 'notes', 'text', 'description', 'summary', 'comment', 'details'],
}

const NPS_ALIASES: Record<string, string[]> = {
  ...REF_ALIASES,
  score: ['score', 'nps', 'npsscore', 'rating', 'likelihood', 'likelihoodtorecommend', 'recommend', 'answer'],
  answered_at: ['answeredat', 'date', 'submittedat', 'responsedate', 'timestamp', 'createdat', 'submitdate', 'completedat', 'enddate'],
  comment: ['comment', 'comments', 'feedback', 'reason', 'why', 'text', 'verbatim'],
  campaign: ['campaign', 'survey', 'surveyname', 'wave'],
}

export const ALIASES: Record<ImportType, Record<string, string[]>> = {
  customers: CUSTOMER_ALIASES,
  purchases: PURCHASE_ALIASES,
  interactions: INTERACTION_ALIASES,
  nps: NPS_ALIASES,
}

export function fieldsFor(type: ImportType): readonly string[] {
  switch (type) {
    case 'customers':
      return [...CUSTOMER_FIELDS, ...CUSTOMER_VIRTUAL_FIELDS]
    case 'purchases':
      return PURCHASE_FIELDS
    case 'interactions':
      return INTERACTION_FIELDS
    case 'nps':
      return NPS_FIELDS
  }
}
