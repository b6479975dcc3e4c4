import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { signatureOf } from '../services/webhook-service/src/domain/signature.ts';
import { failureCount, p99Ms, postMany, type LoadResult } from './http-load.ts';

/*
 * Signed status webhooks in Meta's shape, fired with undici from a worker thread so the load
 * generator does not share an event loop with whatever else the calling process runs (in
 * bench/webhook-bench.ts the webhook-service itself). Every request must be answered 200.
 */

interface LoadOptions {
  url: string;
  bodies: SignedBody[];
  concurrency: number;
}

export interface SignedBody {
  body: string;
  signature: string;
}

/** Which message a status is about: the wamid Meta gave it and the callback data it was sent with. */
export interface StatusTarget {
  wamid: string;
  callbackData: string;
  recipientId: string;
}

const fire = (options: LoadOptions) =>
  postMany({
    url: options.url,
    count: options.bodies.length,
    concurrency: options.concurrency,
    request: (index) => {
      const item = options.bodies[index]!;
      return {
        body: item.body,
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': item.signature },
      };
    },
  });

if (!isMainThread && (workerData as { webhookLoad?: LoadOptions } | null)?.webhookLoad) {
  const result = await fire((workerData as { webhookLoad: LoadOptions }).webhookLoad);
  parentPort?.postMessage(result);
}

const statuses = ['sent', 'delivered', 'read'] as const;

/**
 * `count` notifications of one status each, three per message (sent, delivered, read), message
 * `floor(index / 3)` described by `target`, signed with the app secret as Meta signs them.
 */
export function statusNotifications(
  count: number,
  appSecret: string,
  target: (message: number) => StatusTarget,
): SignedBody[] {
  return Array.from({ length: count }, (_, index) => {
    const message = target(Math.floor(index / statuses.length));
    const body = JSON.stringify({
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
                statuses: [
                  {
                    id: message.wamid,
                    status: statuses[index % statuses.length],
                    timestamp: String(1_750_000_000 + index),
                    recipient_id: message.recipientId,
                    biz_opaque_callback_data: message.callbackData,
                    pricing: { billable: true, pricing_model: 'PMP', type: 'regular', category: 'utility' },
                  },
                ],
              },
            },
          ],
        },
      ],
    });
    return { body, signature: signatureOf(body, appSecret) };
  });
}

/**
 * Posts every body once from a worker thread; throws unless every one was answered 200. Returns
 * requests per second and the 99th percentile latency.
 */
export async function webhookBurst(
  url: string,
  bodies: SignedBody[],
  concurrency: number,
): Promise<{ rps: number; p99Ms: number }> {
  const result = await new Promise<LoadResult>((resolve, reject) => {
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { webhookLoad: { url, bodies, concurrency } satisfies LoadOptions },
    });
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const failed = failureCount(result);
  if (failed > 0)
    throw new Error(`${failed} of ${bodies.length} webhooks were not answered 200: ${JSON.stringify(result.failures)}`);
  return { rps: bodies.length / result.seconds, p99Ms: p99Ms(result) };
}
