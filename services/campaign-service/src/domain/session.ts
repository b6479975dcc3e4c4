import { randomBytes } from 'node:crypto';
import type { ApiKeyIdentity } from './api-key.ts';

/** The console's cookie: an opaque token whose SHA-256 is all the database keeps. */
export const sessionCookieName = 'ektola_session';

export interface SessionIdentity extends ApiKeyIdentity {
  expiresAt: Date;
}

/** 256 random bits, like an API key, told apart from one by its prefix. */
export const generateSessionToken = () => `eks_${randomBytes(32).toString('base64url')}`;

/**
 * The Set-Cookie value: HttpOnly so no script reads it, SameSite=Strict so no other site's page sends
 * it, Path=/v1 so only the API receives it, Secure whenever the console was reached over HTTPS.
 */
export function sessionCookie(token: string, options: { expiresAt: Date; now: Date; secure: boolean }): string {
  const maxAge = Math.max(0, Math.floor((options.expiresAt.getTime() - options.now.getTime()) / 1000));
  return [
    `${sessionCookieName}=${token}`,
    'Path=/v1',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAge}`,
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

/** Tells the browser to drop the cookie. */
export const expiredSessionCookie = (secure: boolean) =>
  sessionCookie('', { expiresAt: new Date(0), now: new Date(0), secure });

/** The session token of a Cookie header, if it carries one. */
export function readSessionCookie(header: string | undefined): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === sessionCookieName) {
      const token = value.join('=');
      return token.length > 0 ? token : undefined;
    }
  }
  return undefined;
}

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * A cookie-authenticated request that changes something must come from the console's own pages.
 * SameSite=Strict already keeps other sites' requests cookie-less; the Origin check is the second lock
 * (browsers send Origin on every non-GET fetch), so a request without one, or from elsewhere, is refused.
 */
export function crossSiteWrite(method: string, origin: string | undefined, ownOrigin: string): boolean {
  if (!unsafeMethods.has(method.toUpperCase())) return false;
  return origin === undefined || origin.toLowerCase() !== ownOrigin.toLowerCase();
}
