import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';
import { maskPhone } from './phone.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test' }, stream) };
}

describe('createLogger', () => {
  it('when a log line carries phone numbers and credentials, then phones are masked and credentials removed', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        phone: '+919876543210',
        contact: { phone: '+919876543210' },
        message: { recipient: { to: '919876543210' } },
        token: 'EAAG-secret',
        req: { headers: { authorization: 'Bearer key' } },
      },
      'sent',
    );
    const line = lines.join('');
    expect(line).not.toContain('9876543210');
    expect(line).not.toContain('EAAG-secret');
    expect(line).not.toContain('Bearer key');
    expect(JSON.parse(line)).toMatchObject({
      phone: '+91*******210',
      contact: { phone: '+91*******210' },
      service: 'test',
    });
  });
});

describe('maskPhone', () => {
  it('when given a number, then only the country prefix and last three digits remain', () => {
    expect(maskPhone('+14155550123')).toBe('+14******123');
    expect(maskPhone('12')).toBe('***');
    expect(maskPhone(42)).toBe('[redacted]');
  });
});
