import { describe, expect, test } from 'vitest'
import { isVcard, readVcard, readVcardCards, type VcardCard } from '../../src/import/readVcard.js'

async function cards(text: string | string[]): Promise<VcardCard[]> {
  const out: VcardCard[] = []
  for await (const c of readVcardCards(Array.isArray(text) ? text : [text], 'test.vcf')) out.push(c)
  return out
}

describe('readVcard', () => {
  test('vCard 2.1 from an old phone: quoted-printable UTF-8 with soft line breaks, bare TYPE params', async () => {
    const v = [
      'BEGIN:VCARD', 'VERSION:2.1', 'N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen;;;',
      'TEL;CELL;PREF:+49 171 1234567', 'TEL;HOME:030 123456',
      'NOTE;ENCODING=QUOTED-PRINTABLE:Erste Zeile=0D=0Azweite Zeile, die sehr lang ist und deshalb =',
      'umbrochen wird', 'END:VCARD', '',
    ].join('\r\n')
    expect(await cards(v)).toEqual([{
      line: 1,
      row: { last_name: 'Müller', first_name: 'Jürgen', phone: '+49 171 1234567 ::: 030 123456', notes: 'Erste Zeile\r\nzweite Zeile, die sehr lang ist und deshalb umbrochen wird' },
    }])
  })

  test('Apple 3.0: grouped properties, the preferred email first, folded lines, an escaped comma', async () => {
    const v = [
      'BEGIN:VCARD', 'VERSION:3.0', 'PRODID:-//Apple Inc.//macOS 14.0//EN', 'N:Lee;Ann;Marie;Dr.;', 'FN:Dr. Ann Marie Lee',
      'ORG:Lee & Partners\\, LLC;Sales', 'TITLE:Partner', 'item1.EMAIL;type=INTERNET:work@lee.example',
      'item2.EMAIL;type=INTERNET;type=pref:ann@lee.example', 'item3.ADR;type=HOME;type=pref:;;1 Infinite Loop;Cupertino;CA;95014;United',
      '  States', 'BDAY:1979-06-05', 'PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD', ' /2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8U',
      'END:VCARD',
    ].join('\n')
    const [c] = await cards(v)
    expect(c!.row).toEqual({
      last_name: 'Lee', first_name: 'Ann Marie', company: 'Lee & Partners, LLC, Sales', job_title: 'Partner',
      email: 'ann@lee.example ::: work@lee.example', street: '1 Infinite Loop', city: 'Cupertino', region: 'CA', postal_code: '95014',
      country: 'United States', birth_date: '1979-06-05',
    })
  })

  test('4.0: tel: URIs, year-less birthday, gender, categories; FN alone is split; a company card keeps no name', async () => {
    const v = [
      'BEGIN:VCARD', 'VERSION:4.0', 'FN:Chloé Martin', 'TEL;VALUE=uri;TYPE=cell:tel:+33-6-12-34-56-78', 'BDAY:--0412', 'GENDER:O',
      'CATEGORIES:vip,friends\\, family', 'UID;VALUE=text:C-9', 'END:VCARD',
      'BEGIN:VCARD', 'VERSION:4.0', 'FN:Solo GmbH', 'ORG:Solo GmbH', 'EMAIL:info@solo.example', 'END:VCARD',
    ].join('\r\n')
    expect(await cards(v)).toEqual([
      { line: 1, row: { first_name: 'Chloé', last_name: 'Martin', phone: '+33-6-12-34-56-78', birth_date: '--04-12', gender: 'x', tags: 'vip, friends, family', external_id: 'C-9' } },
      { line: 10, row: { company: 'Solo GmbH', email: 'info@solo.example' } },
    ])
  })

  test('chunks split anywhere, even inside CRLF and multi-byte text, give the same cards', async () => {
    const v = 'BEGIN:VCARD\r\nVERSION:4.0\r\nN:Иванов;Олег;;;\r\nNOTE:a long note that is fold\r\n ed here\r\nEND:VCARD\r\n'
    const whole = await cards(v)
    for (let cut = 1; cut < v.length; cut += 3) expect(await cards([v.slice(0, cut), v.slice(cut)])).toEqual(whole)
    expect(whole[0]!.row).toEqual({ last_name: 'Иванов', first_name: 'Олег', notes: 'a long note that is folded here' })
  })

  test('broken files name the line', async () => {
    await expect(cards('BEGIN:VCARD\nFN:A\n')).rejects.toThrow('test.vcf:1: vCard: BEGIN:VCARD without END:VCARD')
    await expect(cards('BEGIN:VCARD\nFN:A\nEND:VCARD\nEND:VCARD\n')).rejects.toThrow('test.vcf:4: vCard: END:VCARD without BEGIN:VCARD')
    await expect(cards('hello\n')).rejects.toThrow('test.vcf:1: vCard: text outside BEGIN:VCARD')
  })

  test('isVcard looks at the first line only; readVcard yields a header then CSV-shaped records', async () => {
    expect(isVcard('\ufeffBEGIN:VCARD\r\nVERSION:4.0')).toBe(true)
    expect(isVcard('begin:vcard\n')).toBe(true)
    expect(isVcard('\r\n\r\nBEGIN:VCARD\r\n')).toBe(true)
    expect(isVcard('first_name,last_name\nBEGIN:VCARD,x')).toBe(false)
    const out = []
    for await (const r of readVcard(['BEGIN:VCARD\nN:Lee;Ann;;;\nEND:VCARD\n'], 'x.vcf')) out.push(r)
    expect(out[0]!.fields).toContain('first_name')
    expect(out[1]!.line).toBe(1)
    expect(out[1]!.fields[out[0]!.fields.indexOf('first_name')]).toBe('Ann')
  })
})
