import { describe, expect, it } from 'vitest';
import { Webhook } from 'standardwebhooks';
import { generateSecret, signatureHeaders } from './signature.ts';

describe('signatureHeaders', () => {
  const body = JSON.stringify({ id: 'evt_1', type: 'ping', createdAt: '2026-01-01T00:00:00.000Z', data: {} });

  it('when signed with a secret, then the standardwebhooks package verifies the request', () => {
    const secret = generateSecret();
    const headers = signatureHeaders([secret], 'evt_1', new Date(), body);
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('when two secrets sign (a rotation), then a receiver holding either one verifies', () => {
    const [current, previous] = [generateSecret(), generateSecret()];
    const headers = signatureHeaders([current, previous], 'evt_2', new Date(), body);
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(() => new Webhook(current).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(generateSecret()).verify(body, headers)).toThrow();
  });

  it('when the body is changed after signing, then verification fails', () => {
    const secret = generateSecret();
    const headers = signatureHeaders([secret], 'evt_3', new Date(), body);
    expect(() => new Webhook(secret).verify(body.replace('ping', 'pong'), headers)).toThrow();
  });

  it('when signed, then the timestamp is whole seconds of the attempt', () => {
    const headers = signatureHeaders([generateSecret()], 'evt_4', new Date('2026-03-01T10:00:05.900Z'), body);
    expect(headers['webhook-timestamp']).toBe(String(Date.parse('2026-03-01T10:00:05Z') / 1000));
    expect(headers['webhook-id']).toBe('evt_4');
  });
});
