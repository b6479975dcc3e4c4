import { describe, expect, it } from 'vitest';
import { classifyMetaError, isAccountLevel, meansMetaIsUnwell } from './meta-errors.ts';

describe('classifyMetaError', () => {
  it.each([
    [130429, 400, 'retry_number'],
    [131056, 400, 'retry_recipient'],
    [4, 400, 'retry'],
    [80007, 400, 'retry'],
    [131000, 500, 'retry'],
    [131016, 503, 'retry'],
    [131057, 503, 'retry'],
    [131049, 400, 'marketing_limit'],
    [131026, 400, 'permanent'],
    [131047, 400, 'permanent'],
    [131050, 400, 'permanent'],
    [131051, 400, 'permanent'],
    [100, 400, 'permanent'],
    [131009, 400, 'permanent'],
    [132000, 400, 'permanent'],
    [132001, 404, 'permanent'],
    [132005, 400, 'permanent'],
    [132007, 400, 'permanent'],
    [132012, 400, 'permanent'],
    [132015, 400, 'permanent'],
    [132016, 400, 'permanent'],
    [190, 401, 'account'],
    [368, 403, 'account'],
    [131031, 403, 'account'],
    [131042, 400, 'account'],
    [131048, 400, 'account'],
  ] as const)('when Meta answers %i (HTTP %i), then the class is %s', (code, status, expected) => {
    expect(classifyMetaError(code, status)).toBe(expected);
  });

  it('when an undocumented code comes with a 5xx, then it is retried; with a 4xx, then it is permanent', () => {
    expect(classifyMetaError(0, 502)).toBe('retry');
    expect(classifyMetaError(999_999, 400)).toBe('permanent');
  });

  it('when deciding what counts against the breaker, then only 5xx, 131000 and 131016 do', () => {
    expect(meansMetaIsUnwell(131000, 500)).toBe(true);
    expect(meansMetaIsUnwell(131016, 503)).toBe(true);
    expect(meansMetaIsUnwell(0, 502)).toBe(true);
    expect(meansMetaIsUnwell(131026, 400)).toBe(false);
    expect(meansMetaIsUnwell(130429, 400)).toBe(false);
    expect(isAccountLevel(190)).toBe(true);
    expect(isAccountLevel(131026)).toBe(false);
  });
});
