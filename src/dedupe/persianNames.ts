/**
 * Latin spellings of Persian (and Arabic) names, one group per name (as nameKey() leaves
 * them): Persian writes short vowels rarely and romanisation is not standardised, so one
 * person is Mohammad on a passport and Mohammed on a loyalty card, and in a list of many
 * Iranians both spellings are common (the frequency rule alone would read them as two names).
 *
 * Compiled from the spelling variants Wikipedia lists in its articles on each name
 * ("Muhammad (name)", "Hossein", "Fatemeh", "Mahdi (name)", …) and from the transliteration
 * tables of the Encyclopædia Iranica (e, a and o for the short vowels; ou, u and oo for
 * the long; ei, ey and ay for the diphthong).
 */
export const PERSIAN_GIVEN_NAME_GROUPS: readonly string[] = [
  'mohammad mohammed muhammad mohamad mohamed muhammed',
  'hossein hosein hussein husain hosain hossain husayn',
  'hassan hasan',
  'hamid hameed',
  'mehdi mahdi',
  'ahmad ahmed',
  'mahmoud mahmood mahmud',
  'saeed saeid saied said',
  'majid madjid majeed',
  'javad jawad',
  'ebrahim ibrahim ebraheem',
  'esmaeil esmail ismail esmaeel',
  'yousef yusuf yousof yusef',
  'masoud masood masud',
  'mansour mansoor mansur',
  'mostafa mustafa mostapha',
  'morteza mortaza',
  'fatemeh fatima fatemah fateme',
  'zahra zahrah',
  'maryam mariam maryem',
  'leila leyla layla laila',
  'narges nargess nargis',
  'somayeh somayyeh somaye',
  'nasrin nasreen',
  'shirin shireen',
]

/** Persian family names, the same way (Hosseini on one form, Husseini on the next). */
export const PERSIAN_SURNAME_GROUPS: readonly string[] = [
  'mohammadi mohammedi muhammadi mohamadi',
  'hosseini husseini hosaini hoseini',
  'ahmadi ahmedi',
  'rezaei rezaee rezayi rezaie',
  'jafari jafary jaafari jaffari',
  'sadeghi sadeqi sadegi',
  'kazemi kazimi',
  'hashemi hashimi',
  'nouri noori nuri',
  'ghasemi ghassemi qasemi',
  'mousavi moosavi musavi',
  'hosseinzadeh hoseinzadeh',
  'najafi nadjafi',
]
