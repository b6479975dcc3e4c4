import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { invalid } from '../errors.ts';

const where = ['params', 'query', 'body'] as const;

/** The field path of the first string (value or key) holding U+0000, walked without recursion so deep nesting cannot overflow the stack. */
export function pathOfNulCharacter(root: unknown, rootPath: string): string | undefined {
  const pending: Array<[unknown, string]> = [[root, rootPath]];
  while (pending.length > 0) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => pending.push([item, `${path}.${index}`]));
    } else if (value !== null && typeof value === 'object' && !(value instanceof Readable) && !Buffer.isBuffer(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return path;
        pending.push([item, `${path}.${key}`]);
      }
    }
  }
  return undefined;
}

/**
 * PostgreSQL text cannot hold U+0000: a NUL byte in any string a request carries would reach the
 * database as an error and answer 500. Refused up front instead, as a 400 naming the field.
 */
export function rejectNulCharacters(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const part of where) {
      const path = pathOfNulCharacter(request[part], part === 'query' ? 'querystring' : part);
      if (path)
        throw invalid('the request contains a NUL character', [
          { path, message: 'must not contain the NUL character (U+0000)' },
        ]);
    }
  });
}
