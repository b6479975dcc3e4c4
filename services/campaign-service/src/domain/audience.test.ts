import { describe, expect, it } from 'vitest';
import { audienceProblems, checkCondition, type Condition } from './audience.ts';

const predicate = (condition: Condition) => {
  const checked = checkCondition(condition);
  if ('problem' in checked) throw new Error(checked.problem.message);
  return checked.predicate;
};

describe('checkCondition', () => {
  it('when an attribute is compared with a number, then it compares numerically', () => {
    expect(predicate({ field: 'attributes.loan_amount', op: 'gte', value: 5000 })).toEqual({
      kind: 'number',
      target: { attribute: 'loan_amount' },
      op: 'gte',
      value: 5000,
    });
  });

  it('when an attribute or createdAt is compared with a date-time, then it compares as time', () => {
    expect(predicate({ field: 'attributes.due', op: 'lt', value: '2026-04-01T00:00:00Z' })).toMatchObject({
      kind: 'time',
      value: new Date('2026-04-01T00:00:00Z'),
    });
    expect(predicate({ field: 'createdAt', op: 'gt', value: '2026-04-01T05:30:00+05:30' })).toMatchObject({
      kind: 'time',
      target: { column: 'createdAt' },
    });
  });

  it('when a string is compared for equality or containment, then it compares text', () => {
    expect(predicate({ field: 'attributes.city', op: 'eq', value: 'Pune' })).toEqual({
      kind: 'text',
      target: { attribute: 'city' },
      op: 'eq',
      value: 'Pune',
    });
    expect(predicate({ field: 'name', op: 'contains', value: 'sha' })).toMatchObject({ kind: 'text', op: 'contains' });
  });

  it('when in takes numbers or strings, then the set keeps their kind', () => {
    expect(predicate({ field: 'attributes.branch', op: 'in', value: [1, 2] })).toMatchObject({ kind: 'number-set' });
    expect(predicate({ field: 'phone', op: 'nin', value: ['+919876543210'] })).toMatchObject({ kind: 'text-set' });
    expect(predicate({ field: 'tags', op: 'contains', value: 'loan' })).toEqual({
      kind: 'text-set',
      target: { column: 'tags' },
      op: 'in',
      values: ['loan'],
    });
  });

  it('when exists has no value, then it asks for presence', () => {
    expect(predicate({ field: 'attributes.email', op: 'exists' })).toEqual({
      kind: 'exists',
      target: { attribute: 'email' },
      present: true,
    });
    expect(predicate({ field: 'name', op: 'exists', value: false })).toMatchObject({ present: false });
  });
});

describe('audienceProblems', () => {
  it.each([
    { condition: { field: 'age', op: 'eq', value: 1 }, path: 'field' },
    { condition: { field: 'attributes.x', op: 'like', value: 1 }, path: 'op' },
    { condition: { field: 'name', op: 'gt', value: 'A' }, path: 'value' },
    { condition: { field: 'attributes.x', op: 'gt', value: 'soon' }, path: 'value' },
    { condition: { field: 'createdAt', op: 'lt', value: 5 }, path: 'value' },
    { condition: { field: 'createdAt', op: 'lt', value: '2026-02-30' }, path: 'value' },
    { condition: { field: 'attributes.x', op: 'in', value: [] }, path: 'value' },
    { condition: { field: 'attributes.x', op: 'in', value: [1, 'a'] }, path: 'value' },
    { condition: { field: 'tags', op: 'gt', value: 1 }, path: 'op' },
    { condition: { field: 'phone', op: 'exists' }, path: 'op' },
    { condition: { field: 'attributes.x', op: 'exists', value: 'yes' }, path: 'value' },
    { condition: { field: 'attributes.x', op: 'eq', value: { a: 1 } }, path: 'value' },
  ])('when a condition is $condition, then the problem names where[1].$path', ({ condition, path }) => {
    const where = [{ field: 'name', op: 'exists' }, condition];
    expect(audienceProblems({ where }, 'body.audience')).toEqual([
      { path: `body.audience.where[1].${path}`, message: expect.any(String) },
    ]);
  });
});
