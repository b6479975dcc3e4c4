import type { ApiKeyIdentity, Permission } from '../../domain/api-key.ts';

/** What a route declares and what the hooks attach to a request. */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call the route; every /v1 route declares one. */
    permission?: Permission;
    /** The body is a stream the handler fingerprints itself (CSV uploads). */
    streamedBody?: boolean;
    /**
     * What the idempotency table keeps of a successful answer, and so what a replay answers: a
     * secret shown once (a minted API key) must never sit there in plain text.
     */
    storedAnswer?: (payload: string) => string;
    /** Answers without a key (signing in); still rate limited per address. */
    public?: boolean;
  }
  interface FastifyRequest {
    apiKey?: ApiKeyIdentity;
    /** Set when the request was authenticated by the console's session cookie rather than a Bearer key. */
    session?: { expiresAt: Date };
    idempotency?: IdempotencyClaim;
  }
}

export interface IdempotencyClaim {
  key: string;
  /** Known up front for JSON bodies; set by the handler for streamed ones. */
  fingerprint: string | null;
  /** For a streamed body whose key already finished: what to replay if the body turns out the same. */
  earlier?: { fingerprint: string | null; response: { statusCode: number; body: string } };
}
