import { secretsMatch } from './signature.ts';

export interface HandshakeQuery {
  mode: string | undefined;
  verifyToken: string | undefined;
  challenge: string | undefined;
}

export type HandshakeOutcome = { accepted: true; challenge: string } | { accepted: false };

/** Meta's subscription check: echo the challenge only to a `subscribe` carrying our verify token. */
export function answerHandshake(query: HandshakeQuery, verifyToken: string): HandshakeOutcome {
  if (query.mode !== 'subscribe' || query.verifyToken === undefined || query.challenge === undefined)
    return { accepted: false };
  if (!secretsMatch(query.verifyToken, verifyToken)) return { accepted: false };
  return { accepted: true, challenge: query.challenge };
}
