import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Meta's `GET /{waba-id}/message_templates` and nothing else, for the sync tests (the shared
 * simulator was not ready when these were written). Pages of `pageSize`, linked by `paging.next`.
 */
export async function startFakeMetaTemplates(options: {
  businessAccountId: string;
  accessToken: string;
  templates: unknown[];
  pageSize: number;
}) {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push(url.pathname + url.search);
    response.setHeader('content-type', 'application/json');
    if (request.headers.authorization !== `Bearer ${options.accessToken}`) {
      response.statusCode = 401;
      response.end(
        JSON.stringify({ error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } }),
      );
      return;
    }
    if (url.pathname !== `/v23.0/${options.businessAccountId}/message_templates`) {
      response.statusCode = 404;
      response.end(JSON.stringify({ error: { message: 'Unknown path', code: 100 } }));
      return;
    }
    const offset = Number(url.searchParams.get('after') ?? '0');
    const data = options.templates.slice(offset, offset + options.pageSize);
    const nextOffset = offset + options.pageSize;
    const next = new URL(url);
    next.searchParams.set('after', String(nextOffset));
    response.end(
      JSON.stringify({
        data,
        paging:
          nextOffset < options.templates.length
            ? { next: `http://127.0.0.1:${port()}${next.pathname}${next.search}` }
            : {},
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = () => (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port()}/v23.0`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
