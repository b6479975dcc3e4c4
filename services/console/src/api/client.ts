import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { ApiError, type ErrorBody } from './errors.ts';

/**
 * The typed client of the public REST API. Same origin as the console, so the session cookie rides
 * along and no key is ever kept by the browser.
 */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });

type Answer<T> = { data?: T; error?: unknown; response: Response };

/** The answer's data, or an ApiError carrying the API's message and the fields it names. */
export async function unwrap<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (!response.ok) throw ApiError.from(response.status, error as ErrorBody | undefined);
  return data as T;
}

/** A path's JSON answer for a status code, as the OpenAPI document describes it. */
export type ResponseOf<P extends keyof paths, M extends keyof paths[P], S extends number = 200> = paths[P][M] extends {
  responses: infer R;
}
  ? R extends Record<S, { content: { 'application/json': infer B } }>
    ? B
    : never
  : never;
