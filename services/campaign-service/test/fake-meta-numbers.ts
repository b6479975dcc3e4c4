import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Meta's `GET /{phone-number-id}` and nothing else, answering in the Graph API's shape: the fields
 * asked for, `{"error":{…,"code":100,"error_subcode":33}}` for a number it does not know, code 190 for
 * a wrong token. The shared simulator serves one number; these tests need several and change them.
 */
export async function startFakeMetaNumbers(options: {
  accessToken: string;
  numbers: Record<string, object>;
  /** Answer every field the number has, asked for or not, as a proxy in front of Meta may. */
  everyField?: boolean;
}) {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push(url.pathname + url.search);
    response.setHeader('content-type', 'application/json');
    const send = (status: number, body: object) => {
      response.statusCode = status;
      response.end(JSON.stringify(body));
    };
    if (request.headers.authorization !== `Bearer ${options.accessToken}`)
      return send(401, {
        error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190, fbtrace_id: 'A1' },
      });
    const id = /^\/v23\.0\/(\d+)$/.exec(url.pathname)?.[1];
    const number = id ? options.numbers[id] : undefined;
    if (!id || !number)
      return send(400, {
        error: {
          message: `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
          type: 'GraphMethodException',
          code: 100,
          error_subcode: 33,
          fbtrace_id: 'A2',
        },
      });
    const fields = (url.searchParams.get('fields') ?? '').split(',');
    const answer: Record<string, unknown> = { id };
    for (const [key, value] of Object.entries(number))
      if (options.everyField || fields.includes(key)) answer[key] = value;
    return send(200, answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v23.0`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
