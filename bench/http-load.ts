import { Agent, request } from 'undici';

/**
 * The load loop every HTTP benchmark here shares: `count` POSTs from `concurrency` workers over one
 * keep-alive pool, each answer's latency kept, anything but 200 counted by status code (or error code).
 */
export interface LoadResult {
  seconds: number;
  latenciesMs: number[];
  failures: Record<string, number>;
}

export async function postMany(options: {
  url: string;
  count: number;
  request: (index: number) => { body: string; headers: Record<string, string> };
  concurrency: number;
  connections?: number;
}): Promise<LoadResult> {
  const dispatcher = new Agent({
    connections: options.connections ?? options.concurrency,
    pipelining: 1,
    keepAliveTimeout: 30_000,
  });
  const latenciesMs = Array.from<number>({ length: options.count });
  const failures: Record<string, number> = {};
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < options.count) {
      const index = next;
      next += 1;
      const { body, headers } = options.request(index);
      const sent = performance.now();
      try {
        const response = await request(options.url, { method: 'POST', body, headers, dispatcher });
        await response.body.dump();
        if (response.statusCode !== 200) failures[response.statusCode] = (failures[response.statusCode] ?? 0) + 1;
      } catch (error) {
        const code = (error as { code?: string }).code ?? 'error';
        failures[code] = (failures[code] ?? 0) + 1;
      }
      latenciesMs[index] = performance.now() - sent;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  await dispatcher.close();
  return { seconds, latenciesMs, failures };
}

export const failureCount = (result: LoadResult) =>
  Object.values(result.failures).reduce((sum, count) => sum + count, 0);

/** The 99th percentile latency in ms, to a tenth. */
export function p99Ms(result: LoadResult): number {
  const sorted = result.latenciesMs.toSorted((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.99) - 1)] ?? 0) * 10) / 10;
}

/** A template send in the Cloud API's shape, as the dispatcher posts them. */
export const templateSendBody = (index: number, prefix = 'bench') =>
  JSON.stringify({
    messaging_product: 'whatsapp',
    to: String(919_000_000_000 + index),
    type: 'template',
    biz_opaque_callback_data: `${prefix}-${index}`,
    template: {
      name: 'gold_loan_reminder',
      language: { code: 'en' },
      components: [
        {
          type: 'body',
          parameters: [
            { type: 'text', text: 'Asha' },
            { type: 'text', text: '₹12,500' },
          ],
        },
      ],
    },
  });
