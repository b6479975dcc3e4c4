import { describe, expect, it } from 'vitest';
import { hasValidSignature, secretsMatch, signatureOf } from './signature.ts';

const secret = 'app-secret';
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');

describe('hasValidSignature', () => {
  it('when the header is the HMAC of the exact bytes, then it verifies', () => {
    expect(hasValidSignature(body, signatureOf(body, secret), secret)).toBe(true);
  });

  it('when Meta writes the hex digest in upper case, then it still verifies', () => {
    expect(
      hasValidSignature(
        body,
        signatureOf(body, secret)
          .replace(/[a-f]/g, (c) => c.toUpperCase())
          .replace('SHA256', 'sha256'),
        secret,
      ),
    ).toBe(true);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['without the sha256= prefix', signatureOf(body, secret).slice('sha256='.length)],
    ['sha1', `sha1=${'0'.repeat(40)}`],
    ['too short', 'sha256=abcd'],
    ['signed with another secret', signatureOf(body, 'other-secret')],
    ['for other bytes', signatureOf(Buffer.from(`${body.toString()} `), secret)],
  ])('when the header is %s, then it does not verify', (_case, header) => {
    expect(hasValidSignature(body, header, secret)).toBe(false);
  });
});

describe('secretsMatch', () => {
  it('when the strings are equal, then they match; when they differ in content or length, then not', () => {
    expect(secretsMatch('verify-me', 'verify-me')).toBe(true);
    expect(secretsMatch('verify-mf', 'verify-me')).toBe(false);
    expect(secretsMatch('verify', 'verify-me')).toBe(false);
    expect(secretsMatch('', 'verify-me')).toBe(false);
  });
});
