import { describe, expect, it } from 'vitest';
import { alternativeWhatsAppNumbers, importedFormOf } from './whatsapp-number.ts';

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

  it('when a number is in its legacy WhatsApp form, then the form an import stores is the current E.164', () => {
    expect(importedFormOf('+5215512345678')).toBe('+525512345678');
    expect(importedFormOf('+551187654321')).toBe('+5511987654321');
    expect(importedFormOf('+525512345678')).toBe('+525512345678');
    expect(importedFormOf('+5511987654321')).toBe('+5511987654321');
    expect(importedFormOf('+551133334444')).toBe('+551133334444');
    expect(importedFormOf('+919876543210')).toBe('+919876543210');
  });

  it('when the number is from another country, then it has no other form', () => {
    expect(alternativeWhatsAppNumbers('+919876543210')).toEqual([]);
    expect(alternativeWhatsAppNumbers('+14155550123')).toEqual([]);
  });
});
