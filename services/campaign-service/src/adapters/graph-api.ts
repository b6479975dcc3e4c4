import { request } from 'undici';
import { z } from 'zod';
import { unavailable } from '@ektola/platform/errors';

/** Meta's error object, as every Graph API endpoint answers a refusal. */
const metaErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    code: z.number().optional(),
    error_subcode: z.number().optional(),
    error_user_title: z.string().optional(),
    error_user_msg: z.string().optional(),
  }),
});

export interface MetaRefusal {
  code: number | undefined;
  subcode: number | undefined;
  /** What Meta said, its user-facing text first (its `message` alone is often just "Invalid parameter"), with the codes. */
  text: string;
}

export interface GraphAnswer {
  status: number;
  body: unknown;
  /** Meta's error object when the body carries one. */
  refusal: MetaRefusal | undefined;
}

export interface GraphApi {
  /** One request with the configured token; an unreachable Cloud API is `unavailable`, any answer is returned. */
  call(url: string | URL, init?: { method: 'POST'; json: unknown }): Promise<GraphAnswer>;
}

function refusalOf(body: unknown): MetaRefusal | undefined {
  const parsed = metaErrorSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const { message, code, error_subcode, error_user_title, error_user_msg } = parsed.data.error;
  const said = [error_user_title, error_user_msg ?? message].filter(Boolean).join(': ');
  return {
    code,
    subcode: error_subcode,
    text: `${said || 'no message'} (code ${code ?? '?'}${error_subcode ? `, subcode ${error_subcode}` : ''})`,
  };
}

/** The Cloud API's Graph endpoints as the campaign-service calls them: its token, its timeout, Meta's errors read. */
export function createGraphApi(options: { accessToken: string; timeoutMs?: number }): GraphApi {
  const timeout = options.timeoutMs ?? 10_000;
  return {
    async call(url, init) {
      let response;
      try {
        response = await request(url, {
          method: init?.method ?? 'GET',
          headers: {
            authorization: `Bearer ${options.accessToken}`,
            accept: 'application/json',
            ...(init ? { 'content-type': 'application/json' } : {}),
          },
          ...(init ? { body: JSON.stringify(init.json) } : {}),
          headersTimeout: timeout,
          bodyTimeout: timeout,
        });
      } catch (error) {
        throw unavailable(`the WhatsApp Cloud API could not be reached: ${(error as Error).message}`, error);
      }
      const body: unknown = await response.body.json().catch(() => undefined);
      return { status: response.statusCode, body, refusal: refusalOf(body) };
    },
  };
}
