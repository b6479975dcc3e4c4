import { describe, expect, it } from 'vitest';
import { contactFromRow, csvLayout, mergeDrafts, normalisePhone, parseTags, type CsvLayout } from './contact-row.ts';

const layoutOf = (header: string[]): CsvLayout => {
  const result = csvLayout(header);
  if (!result.ok) throw new Error(result.problem);
  return result.layout;
};

describe('normalisePhone', () => {
  it.each([
    ['9876543210', '+919876543210'],
    ['+91 98765 43210', '+919876543210'],
    ['098765 43210', '+919876543210'],
    ['+1 415 555 0100', '+14155550100'],
  ])('when the number is %s, then it is %s', (raw, e164) => {
    expect(normalisePhone(raw, 'IN')).toBe(e164);
  });

  it.each(['12345', 'not a phone', '', '+91 98765'])('when the number is "%s", then it is invalid', (raw) => {
    expect(normalisePhone(raw, 'IN')).toBeUndefined();
  });
});

describe('csvLayout', () => {
  it('when the header has phone, name, tags and others, then the others become attributes', () => {
    expect(layoutOf(['Phone', 'name', 'tags', 'loan_amount', 'due date'])).toEqual({
      phone: 0,
      name: 1,
      tags: 2,
      attributes: [
        { index: 3, key: 'loan_amount' },
        { index: 4, key: 'due date' },
      ],
      width: 5,
    });
  });

  it('when the header has no phone column, then the file is refused', () => {
    expect(csvLayout(['name', 'mobile'])).toEqual({ ok: false, problem: 'the header row has no phone column' });
  });

  it('when the header names a column twice, then the file is refused', () => {
    expect(csvLayout(['phone', 'city', 'city'])).toMatchObject({
      ok: false,
      problem: 'the header row names city twice',
    });
  });
});

describe('contactFromRow', () => {
  const layout = layoutOf(['phone', 'name', 'tags', 'city']);

  it('when the row is good, then it becomes a contact with E.164 phone, tags and attributes', () => {
    expect(contactFromRow(layout, ['98765 43210', ' Asha ', 'vip; gold;', 'Pune'], 'IN')).toEqual({
      ok: true,
      contact: { phone: '+919876543210', name: 'Asha', tags: ['vip', 'gold'], attributes: { city: 'Pune' } },
    });
  });

  it('when the phone is empty, then the row is rejected saying so', () => {
    expect(contactFromRow(layout, ['', 'Asha', '', ''], 'IN')).toEqual({ ok: false, reason: 'phone is empty' });
  });

  it('when the phone is invalid, then the row is rejected naming it', () => {
    expect(contactFromRow(layout, ['12345', 'Asha', '', ''], 'IN')).toEqual({
      ok: false,
      reason: 'phone 12345 is not a valid phone number',
    });
  });

  it('when the row has the wrong number of fields, then it is rejected', () => {
    expect(contactFromRow(layout, ['9876543210', 'Asha'], 'IN')).toEqual({
      ok: false,
      reason: 'has 2 fields; the header has 4',
    });
  });

  it('when the file has no tags column, then tags are left alone (null)', () => {
    const result = contactFromRow(layoutOf(['phone']), ['9876543210'], 'IN');
    expect(result).toEqual({ ok: true, contact: { phone: '+919876543210', name: null, tags: null, attributes: {} } });
  });
});

describe('parseTags and mergeDrafts', () => {
  it('when tags repeat or are blank, then each appears once', () => {
    expect(parseTags('a; b;;a ; ')).toEqual(['a', 'b']);
  });

  it('when a phone appears twice, then the later row wins field by field', () => {
    expect(
      mergeDrafts(
        { phone: '+919876543210', name: 'Asha', tags: ['a'], attributes: { city: 'Pune', plan: 'gold' } },
        { phone: '+919876543210', name: null, tags: null, attributes: { city: 'Mumbai' } },
      ),
    ).toEqual({ phone: '+919876543210', name: 'Asha', tags: ['a'], attributes: { city: 'Mumbai', plan: 'gold' } });
  });
});
