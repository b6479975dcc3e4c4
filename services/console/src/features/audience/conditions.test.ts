import { describe, expect, it } from 'vitest';
import { toCondition, toDraft, toWhere } from './conditions.ts';

describe('toCondition', () => {
  it('when a number is typed for an attribute, then it is sent as a number', () => {
    expect(toCondition({ field: 'attributes.loanAmount', op: 'gte', text: ' 12500 ' })).toEqual({
      ok: true,
      condition: { field: 'attributes.loanAmount', op: 'gte', value: 12500 },
    });
  });

  it('when text that only starts with digits is typed, then it stays text', () => {
    expect(toCondition({ field: 'attributes.city', op: 'eq', text: '12 Main' })).toMatchObject({
      condition: { value: '12 Main' },
    });
  });

  it('when a phone of digits is given, then it stays text since phone is not an attribute', () => {
    expect(toCondition({ field: 'phone', op: 'contains', text: '9198' })).toMatchObject({
      condition: { value: '9198' },
    });
  });

  it('when in is used, then the comma-separated values become a typed list', () => {
    expect(toCondition({ field: 'attributes.tier', op: 'in', text: '1, gold,2.5' })).toMatchObject({
      condition: { op: 'in', value: [1, 'gold', 2.5] },
    });
  });

  it('when exists is given yes or no, then it becomes a boolean, anything else is a problem', () => {
    expect(toCondition({ field: 'name', op: 'exists', text: 'No' })).toMatchObject({ condition: { value: false } });
    expect(toCondition({ field: 'name', op: 'exists', text: 'yes' })).toMatchObject({ condition: { value: true } });
    expect(toCondition({ field: 'name', op: 'exists', text: 'maybe' })).toEqual({
      ok: false,
      problem: 'Is set takes yes or no',
    });
  });

  it('when createdAt is given a date, then it is sent as an instant; a non-date is a problem', () => {
    expect(toCondition({ field: 'createdAt', op: 'gt', text: '2026-03-01T00:00:00Z' })).toMatchObject({
      condition: { value: '2026-03-01T00:00:00.000Z' },
    });
    expect(toCondition({ field: 'createdAt', op: 'gt', text: 'soon' })).toMatchObject({ ok: false });
  });

  it('when the field is unknown or the value empty, then the problem says so', () => {
    expect(toCondition({ field: 'city', op: 'eq', text: 'Pune' })).toMatchObject({ ok: false });
    expect(toCondition({ field: 'attributes.city', op: 'eq', text: ' ' })).toEqual({
      ok: false,
      problem: 'Give a value',
    });
  });
});

describe('toWhere', () => {
  it('when one row is incomplete, then only the valid rows are sent and the problem stays on its row', () => {
    const result = toWhere([
      { field: 'name', op: 'contains', text: 'Ravi' },
      { field: 'attributes.score', op: 'gt', text: '' },
    ]);
    expect(result.where).toEqual([{ field: 'name', op: 'contains', value: 'Ravi' }]);
    expect(result.problems).toEqual([null, 'Give a value']);
  });
});

describe('toDraft', () => {
  it('when saved conditions are edited again, then their values read back as typed', () => {
    expect(toDraft({ field: 'attributes.tier', op: 'in', value: [1, 'gold'] })).toEqual({
      field: 'attributes.tier',
      op: 'in',
      text: '1, gold',
    });
    expect(toDraft({ field: 'name', op: 'exists', value: false }).text).toBe('no');
  });
});
