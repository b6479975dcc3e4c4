import { describe, expect, it } from 'vitest';
import { callingCodeOf } from './calling-code.ts';

describe('callingCodeOf', () => {
  it('when a number starts with a one-, two- or three-digit calling code, then that code is found', () => {
    expect(callingCodeOf('+14155550100')).toBe('1');
    expect(callingCodeOf('+919876543210')).toBe('91');
    expect(callingCodeOf('+971501234567')).toBe('971');
    expect(callingCodeOf('447')).toBe('44');
  });

  it('when no calling code starts the digits, then the answer is empty', () => {
    expect(callingCodeOf('+999')).toBe('');
  });
});
