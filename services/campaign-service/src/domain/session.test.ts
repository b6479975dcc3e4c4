import { describe, expect, it } from 'vitest';
import {
  crossSiteWrite,
  expiredSessionCookie,
  generateSessionToken,
  readSessionCookie,
  sessionCookie,
} from './session.ts';

describe('session cookie', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  const expiresAt = new Date('2026-01-01T12:00:00Z');

  it('when served over HTTP, then the cookie is HttpOnly, SameSite=Strict, scoped to /v1 and not Secure', () => {
    expect(sessionCookie('eks_abc', { expiresAt, now, secure: false })).toBe(
      'ektola_session=eks_abc; Path=/v1; HttpOnly; SameSite=Strict; Max-Age=43200',
    );
  });

  it('when served over HTTPS, then the cookie is Secure', () => {
    expect(sessionCookie('eks_abc', { expiresAt, now, secure: true })).toMatch(/; Secure$/);
  });

  it('when signing out, then the cookie is emptied with Max-Age=0', () => {
    expect(expiredSessionCookie(false)).toBe('ektola_session=; Path=/v1; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it('when a Cookie header carries the session among others, then its token is read', () => {
    const token = generateSessionToken();
    expect(readSessionCookie(`theme=dark; ektola_session=${token}; other=1`)).toBe(token);
    expect(readSessionCookie('theme=dark')).toBeUndefined();
    expect(readSessionCookie('ektola_session=')).toBeUndefined();
    expect(readSessionCookie(undefined)).toBeUndefined();
  });

  it('when two tokens are generated, then they differ and carry the session prefix', () => {
    const first = generateSessionToken();
    expect(first).toMatch(/^eks_[A-Za-z0-9_-]{43}$/);
    expect(generateSessionToken()).not.toBe(first);
  });
});

describe('cross-site writes', () => {
  const own = 'https://console.example.com';

  it('when a write comes from the same origin, then it passes', () => {
    expect(crossSiteWrite('POST', 'https://console.example.com', own)).toBe(false);
  });

  it('when a write comes from another origin or names none, then it is refused', () => {
    expect(crossSiteWrite('DELETE', 'https://evil.example', own)).toBe(true);
    expect(crossSiteWrite('PATCH', undefined, own)).toBe(true);
  });

  it('when the request only reads, then its origin does not matter', () => {
    expect(crossSiteWrite('GET', 'https://evil.example', own)).toBe(false);
  });
});
