import { createHash, randomBytes } from 'node:crypto';

export const roles = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof roles)[number];

/**
 * What a route needs: `read` (any key), `write` (contacts and campaigns: operators and admins),
 * `admin` (keys and template changes).
 */
export type Permission = 'read' | 'write' | 'admin';

const granted: Record<Role, readonly Permission[]> = {
  admin: ['read', 'write', 'admin'],
  operator: ['read', 'write'],
  viewer: ['read'],
};

export const allows = (role: Role, permission: Permission) => granted[role].includes(permission);

export interface ApiKeyIdentity {
  id: string;
  name: string;
  role: Role;
}

const keyPrefix = 'ek_';

/** 256 random bits; shown to the caller once and stored only as its hash. */
export function generateApiKey(): string {
  return `${keyPrefix}${randomBytes(32).toString('base64url')}`;
}

export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Enough of a key to tell it apart in a list, never enough to use it. */
export const displayPrefix = (key: string) => key.slice(0, keyPrefix.length + 6);

export interface ApiKeyRecord extends ApiKeyIdentity {
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
}
