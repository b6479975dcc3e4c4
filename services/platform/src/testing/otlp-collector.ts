import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OtlpCollector {
  /** The OTLP/HTTP endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT takes it. */
  url: string;
  /** Every body posted to `path` (`/v1/traces`, `/v1/metrics`) so far, read as latin1 so names show in protobuf too. */
  bodies(path: string): string;
  /** The traceparent header of every request to `path`, undefined where none came. */
  traceparents(path: string): Array<string | undefined>;
  close(): Promise<void>;
}

/** An OTLP/HTTP receiver on a free port that keeps what it is sent and answers every export 200. */
export async function startOtlpCollector(): Promise<OtlpCollector> {
  const received: Array<{ url: string; body: string; traceparent: string | undefined }> = [];
  const server = createServer((request: IncomingMessage, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({
        url: request.url ?? '',
        body: Buffer.concat(chunks).toString('latin1'),
        traceparent: request.headers.traceparent as string | undefined,
      });
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bodies: (path) =>
      received
        .filter((request) => request.url === path)
        .map((request) => request.body)
        .join('\n'),
    traceparents: (path) => received.filter((request) => request.url === path).map((request) => request.traceparent),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
