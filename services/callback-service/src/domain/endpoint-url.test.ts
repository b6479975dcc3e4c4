import { describe, expect, it } from 'vitest';
import { DomainError } from '@ektola/platform/errors';
import { checkResolvedAddresses, isForbiddenAddress, parseEndpointUrl } from './endpoint-url.ts';

const strict = { allowHttp: false, allowPrivateNetworks: false };

function fieldOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DomainError) return error.details[0]?.path;
    throw error;
  }
  return undefined;
}

describe('parseEndpointUrl', () => {
  it('when the URL is https, then it is accepted', () => {
    expect(parseEndpointUrl('https://hooks.example.com/ektola', strict).hostname).toBe('hooks.example.com');
  });

  it('when the URL is http and http is not allowed, then body.url is refused', () => {
    expect(fieldOf(() => parseEndpointUrl('http://hooks.example.com/', strict))).toBe('body.url');
    expect(parseEndpointUrl('http://hooks.example.com/', { ...strict, allowHttp: true }).protocol).toBe('http:');
  });

  it('when the URL is not absolute or carries credentials, then body.url is refused', () => {
    expect(fieldOf(() => parseEndpointUrl('/relative', strict))).toBe('body.url');
    expect(fieldOf(() => parseEndpointUrl('https://user:pw@example.com/', strict))).toBe('body.url');
    expect(fieldOf(() => parseEndpointUrl('ftp://example.com/', strict))).toBe('body.url');
  });
});

describe('isForbiddenAddress', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    '::ffff:127.0.0.1',
    'fe80::1',
    'fd12:3456::1',
    '[::1]',
  ])('when the address is %s, then it is forbidden', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111'])(
    'when the address is public (%s), then it is allowed',
    (address) => {
      expect(isForbiddenAddress(address)).toBe(false);
    },
  );
});

describe('checkResolvedAddresses', () => {
  it('when any resolved address is private, then body.url is refused unless private networks are allowed', () => {
    expect(fieldOf(() => checkResolvedAddresses(['93.184.216.34', '10.0.0.1'], strict))).toBe('body.url');
    expect(
      fieldOf(() => checkResolvedAddresses(['10.0.0.1'], { ...strict, allowPrivateNetworks: true })),
    ).toBeUndefined();
    expect(fieldOf(() => checkResolvedAddresses(['93.184.216.34'], strict))).toBeUndefined();
  });

  it('when the host resolves to nothing, then body.url is refused', () => {
    expect(fieldOf(() => checkResolvedAddresses([], strict))).toBe('body.url');
  });
});
