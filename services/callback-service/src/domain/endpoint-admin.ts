import { randomUUID } from 'node:crypto';
import type { Clock } from '@ektola/platform/clock';
import { invalid, notFound } from '@ektola/platform/errors';
import { callbackEventTypes } from '@ektola/platform/events';
import { eventIdOf, pingEvent } from './callback-event.ts';
import { checkResolvedAddresses, parseEndpointUrl, type UrlPolicy } from './endpoint-url.ts';
import type {
  AddressResolver,
  CallbackEventLog,
  DeliveryLog,
  DeliveryStatus,
  Endpoint,
  EndpointChanges,
  EndpointStore,
} from './ports.ts';
import { generateSecret } from './signature.ts';

const known = new Set<string>(callbackEventTypes);
const deliveryStatuses = new Set<string>(['pending', 'succeeded', 'failed']);
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function checkEvents(events: readonly string[]): string[] {
  if (events.length === 0)
    throw invalid('events must name at least one event type', [{ path: 'body.events', message: 'must not be empty' }]);
  const unknown = events.findIndex((event) => !known.has(event));
  if (unknown >= 0)
    throw invalid(`unknown event type ${events[unknown]}`, [
      { path: `body.events.${unknown}`, message: `must be one of ${callbackEventTypes.join(', ')}` },
    ]);
  return [...new Set(events)];
}

const requireId = (id: string, path: string) => {
  if (!uuid.test(id)) throw invalid(`${path} must be a UUID`, [{ path, message: 'must be a UUID' }]);
  return id;
};

/**
 * What a business does with its webhook endpoints: subscribe, change, rotate the secret, ping, and
 * read or retry deliveries. Each URL is checked for scheme and address before it is stored.
 */
export function createEndpointAdmin(deps: {
  endpoints: EndpointStore;
  events: CallbackEventLog;
  deliveries: DeliveryLog;
  resolver: AddressResolver;
  policy: UrlPolicy;
  clock: Clock;
  /** How long the previous secret keeps signing after a rotation. */
  rotationOverlapMs: number;
  /** Wakes the delivery worker for a delivery due now. */
  nudge(): void;
}) {
  async function checkUrl(text: string): Promise<string> {
    const url = parseEndpointUrl(text, deps.policy);
    if (!deps.policy.allowPrivateNetworks) {
      const host = url.hostname.replace(/^\[|\]$/g, '');
      checkResolvedAddresses(await deps.resolver.resolve(host).catch(() => []), deps.policy);
    }
    return url.toString();
  }

  async function existing(id: string): Promise<Endpoint> {
    const endpoint = await deps.endpoints.get(requireId(id, 'params.id'));
    if (!endpoint) throw notFound('webhook endpoint', id);
    return endpoint;
  }

  return {
    async create(input: { url: string; events: string[]; description?: string }) {
      const url = await checkUrl(input.url);
      const secret = generateSecret();
      const endpoint = await deps.endpoints.create({
        id: randomUUID(),
        url,
        events: checkEvents(input.events),
        description: input.description ?? '',
        secret,
      });
      return { endpoint, secret };
    },

    async list(page: { limit: number; afterId?: string | undefined }) {
      if (page.afterId) requireId(page.afterId, 'querystring.cursor');
      return deps.endpoints.list(page);
    },

    get: existing,

    async update(id: string, changes: EndpointChanges) {
      await existing(id);
      const checked: EndpointChanges = { ...changes };
      if (changes.url !== undefined) checked.url = await checkUrl(changes.url);
      if (changes.events !== undefined) checked.events = checkEvents(changes.events);
      const updated = await deps.endpoints.update(id, checked);
      if (!updated) throw notFound('webhook endpoint', id);
      if (changes.enabled) deps.nudge();
      return updated;
    },

    async remove(id: string) {
      if (!(await deps.endpoints.remove(requireId(id, 'params.id')))) throw notFound('webhook endpoint', id);
    },

    async rotateSecret(id: string) {
      await existing(id);
      const secret = generateSecret();
      const endpoint = await deps.endpoints.rotateSecret(
        id,
        secret,
        new Date(deps.clock.now().getTime() + deps.rotationOverlapMs),
      );
      if (!endpoint) throw notFound('webhook endpoint', id);
      return { endpoint, secret };
    },

    async sendTest(id: string) {
      const endpoint = await existing(id);
      const now = deps.clock.now();
      const delivery = await deps.events.recordFor(
        endpoint.id,
        pingEvent(endpoint.id, eventIdOf('ping', randomUUID()), now),
      );
      deps.nudge();
      return delivery;
    },

    async deliveries(query: { endpointId: string; status?: string; limit: number; afterId?: string }) {
      await existing(query.endpointId);
      if (query.status && !deliveryStatuses.has(query.status))
        throw invalid('status must be pending, succeeded or failed', [
          { path: 'querystring.status', message: 'must be pending, succeeded or failed' },
        ]);
      if (query.afterId) requireId(query.afterId, 'querystring.cursor');
      return deps.deliveries.list({
        endpointId: query.endpointId,
        status: (query.status || undefined) as DeliveryStatus | undefined,
        limit: query.limit,
        afterId: query.afterId || undefined,
      });
    },

    async retry(endpointId: string, deliveryId: string) {
      await existing(endpointId);
      const delivery = await deps.deliveries.retry(endpointId, requireId(deliveryId, 'params.deliveryId'));
      if (!delivery) throw notFound('webhook delivery', deliveryId);
      deps.nudge();
      return delivery;
    },
  };
}

export type EndpointAdmin = ReturnType<typeof createEndpointAdmin>;
