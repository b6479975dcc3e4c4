import { describe, expect, it } from 'vitest';
import { alternativeWhatsAppNumbers } from './whatsapp-number.ts';

describe('alternativeWhatsAppNumbers', () => {
  it('when a Mexican number carries the mobile prefix 1, then the imported form without it is the alternative, and back', () => {
    expect(alternativeWhatsAppNumbers('+5215512345678')).toEqual(['+525512345678']);
    expect(alternativeWhatsAppNumbers('+525512345678')).toEqual(['+5215512345678']);
  });

  it('when a Brazilian mobile number has nine digits, then the eight-digit form is the alternative, and back', () => {
    expect(alternativeWhatsAppNumbers('+5511987654321')).toEqual(['+551187654321']);
    expect(alternativeWhatsAppNumbers('+551187654321')).toEqual(['+5511987654321']);
  });

  it('when a Brazilian number is a landline, then it has no other form', () => {
    expect(alternativeWhatsAppNumbers('+551133334444')).toEqual([]);
  });

  it('when the number is from another country, then it has no other form', () => {
    expect(alternativeWhatsAppNumbers('+919876543210')).toEqual([]);
    expect(alternativeWhatsAppNumbers('+14155550123')).toEqual([]);
  });
});
