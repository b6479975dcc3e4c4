import { Pool } from 'undici';
import type { ClaimedMessage, SendResult } from '../domain/ports.ts';

/** The answer to one call before the circuit breaker has a say (no `probe` flag yet). */
export type RawSendResult = SendResult extends infer R ? (R extends unknown ? Omit<R, 'probe'> : never) : never;

export interface CloudApiClient {
  send(message: ClaimedMessage): Promise<RawSendResult>;
  close(): Promise<void>;
}

interface MetaErrorBody {
  error?: { code?: number; message?: string; error_data?: { details?: string } };
  messages?: Array<{ id?: string }>;
}

/** Errors raised before a request could have left: resending cannot duplicate anything. */
const notSentCodes = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function codeOf(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * The body of POST /{phone-number-id}/messages for one claimed message, written as text: the stored
 * components go in as they came from the database, and only the few strings around them are escaped.
 * JSON.stringify of the whole request, after the claim had parsed the components, cost several
 * microseconds and a few objects per send.
 */
export function sendBodyOf(message: ClaimedMessage): string {
  const to = message.phone.startsWith('+') ? message.phone.slice(1) : message.phone;
  const components = message.componentsJson === '[]' ? '' : `,"components":${message.componentsJson}`;
  return (
    `{"messaging_product":"whatsapp","recipient_type":"individual","to":${JSON.stringify(to)},"type":"template",` +
    `"biz_opaque_callback_data":${JSON.stringify(message.id)},"template":{"name":${JSON.stringify(message.templateName)},` +
    `"language":{"code":${JSON.stringify(message.templateLanguage)}}${components}}}`
  );
}

/**
 * One request's final status and body text. Dispatched with a handler of its own rather than through
 * `pool.request`, whose body is a Node stream per response: at thousands of sends a second that
 * stream's machinery (a Readable and its nextTick emissions, for bodies of a few hundred bytes) cost the
 * sending dispatcher about a tenth of its CPU.
 */
function exchange(
  pool: Pool,
  options: { path: string; headers: Record<string, string>; body: string },
): Promise<{ statusCode: number; text: string }> {
  return new Promise((resolve, reject) => {
    let statusCode = 0;
    const chunks: Buffer[] = [];
    pool.dispatch(
      { method: 'POST', ...options },
      {
        // Required by undici; nothing here aborts a request once it is dispatched (the pool's timeouts do).
        onRequestStart() {},
        onResponseStart(_controller, status) {
          // An informational (1xx) answer comes before the final one and says nothing of the send.
          if (status >= 200) statusCode = status;
        },
        onResponseData(_controller, chunk) {
          if (statusCode) chunks.push(chunk);
        },
        onResponseEnd() {
          resolve({ statusCode, text: Buffer.concat(chunks).toString('utf8') });
        },
        onResponseError(_controller, error) {
          reject(error);
        },
      },
    );
  });
}

/**
 * POST /{phone-number-id}/messages over a keep-alive undici Pool. Every failure becomes a result the
 * domain can act on; nothing here throws for Meta's answers.
 */
export function createCloudApiClient(options: {
  baseUrl: string;
  accessToken: string | undefined;
  connections: number;
  timeoutMs: number;
}): CloudApiClient {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const pool = new Pool(base.origin, {
    connections: options.connections,
    keepAliveTimeout: 30_000,
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: { timeout: Math.min(options.timeoutMs, 5_000) },
  });
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.accessToken) headers.authorization = `Bearer ${options.accessToken}`;

  return {
    async send(message) {
      const path = `${base.pathname}${encodeURIComponent(message.phoneNumberId)}/messages`;
      try {
        const response = await exchange(pool, { path, headers, body: sendBodyOf(message) });
        const text = response.text;
        let body: MetaErrorBody = {};
        try {
          body = JSON.parse(text) as MetaErrorBody;
        } catch {
          // Not JSON (a proxy's error page): judged by the status code alone below.
        }
        const wamid = body.messages?.[0]?.id;
        if (response.statusCode >= 200 && response.statusCode < 300 && wamid) return { kind: 'accepted', wamid };
        const error = body.error;
        const details = error?.error_data?.details;
        return {
          kind: 'rejected',
          code: typeof error?.code === 'number' ? error.code : 0,
          message: [error?.message ?? `HTTP ${response.statusCode}`, details].filter(Boolean).join(': '),
          httpStatus: response.statusCode >= 200 && response.statusCode < 300 ? 502 : response.statusCode,
        };
      } catch (error) {
        const code = codeOf(error) ?? 'unknown';
        const reason = `${code}: ${(error as Error).message}`;
        return notSentCodes.has(code) ? { kind: 'unreachable', reason } : { kind: 'unknown', reason };
      }
    },
    close: () => pool.close(),
  };
}

/** Development mode: no HTTP call; ids say where they came from, as the seed made them. */
export const developmentCloudApi: CloudApiClient = {
  send: async (message) => ({ kind: 'accepted', wamid: `dev_${message.phone}_${message.templateName}_${message.id}` }),
  close: async () => undefined,
};
