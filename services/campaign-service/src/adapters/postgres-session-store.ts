import type { Sql } from '@ektola/platform/postgres';
import { hashApiKey, type Role } from '../domain/api-key.ts';
import { generateSessionToken } from '../domain/session.ts';
import type { SessionStore } from '../domain/ports.ts';

interface SessionRow {
  id: string;
  name: string;
  role: Role;
  expires_at: Date;
}

export function createPostgresSessionStore(sql: Sql): SessionStore {
  return {
    /** The token is returned only here; the table keeps its hash. */
    async start(apiKeyId, expiresAt) {
      const token = generateSessionToken();
      await sql`
        insert into campaign.sessions (token_hash, api_key_id, expires_at)
        values (${hashApiKey(token)}, ${apiKeyId}, ${expiresAt})`;
      return token;
    },

    async identify(token) {
      const [row] = await sql<SessionRow[]>`
        select k.id, k.name, k.role, s.expires_at
        from campaign.sessions s join campaign.api_keys k on k.id = s.api_key_id
        where s.token_hash = ${hashApiKey(token)} and s.expires_at > now() and k.revoked_at is null`;
      return row ? { id: row.id, name: row.name, role: row.role, expiresAt: row.expires_at } : undefined;
    },

    async end(token) {
      await sql`delete from campaign.sessions where token_hash = ${hashApiKey(token)}`;
    },

    async deleteExpired(cutoff, limit) {
      const deleted = await sql`
        delete from campaign.sessions
        where token_hash in (select token_hash from campaign.sessions where expires_at < ${cutoff} limit ${limit})`;
      return deleted.count;
    },
  };
}
