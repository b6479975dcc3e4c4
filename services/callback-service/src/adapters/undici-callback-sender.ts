import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { Agent, request } from 'undici';
import { isForbiddenAddress } from '../domain/endpoint-url.ts';
import type { CallbackSender } from '../domain/ports.ts';

const maxBodyBytes = 64 * 1024;

class AddressRefused extends Error {
  override readonly name = 'AddressRefused';
}

/**
 * The DNS lookup every connection makes, refusing forbidden addresses after resolution: a host that
 * resolved to a public address when the endpoint was created and to 169.254.169.254 now (DNS
 * rebinding) is refused at connect time.
 */
function guardedLookup(allowPrivateNetworks: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const allowed = allowPrivateNetworks
        ? addresses
        : addresses.filter((entry) => !isForbiddenAddress(entry.address));
      if (allowed.length === 0)
        return callback(new AddressRefused(`${hostname} resolves only to forbidden addresses`), '', 0);
      if (options.all) return (callback as unknown as (error: null, addresses: LookupAddress[]) => void)(null, allowed);
      const [first] = allowed as [LookupAddress];
      return callback(null, first.address, first.family);
    });
  };
}

/** Reads at most 64 KiB of an answer and drops the rest, so a receiver cannot make us hold a large body. */
async function drain(body: AsyncIterable<Buffer> & { destroy(): void }) {
  let read = 0;
  for await (const chunk of body) {
    read += chunk.length;
    if (read >= maxBodyBytes) {
      body.destroy();
      return;
    }
  }
}

/** POSTs a signed callback with undici: no redirects followed, a deadline on the whole attempt. */
export function createUndiciCallbackSender(options: {
  timeoutMs: number;
  allowPrivateNetworks: boolean;
}): CallbackSender & { close(): Promise<void> } {
  // No bound on connections per origin: two endpoints on one host (paths of one receiver) must not share
  // a pool a slow one can fill. The worker bounds attempts per endpoint and in all.
  const agent = new Agent({
    headersTimeout: options.timeoutMs,
    bodyTimeout: options.timeoutMs,
    connect: { timeout: options.timeoutMs, lookup: guardedLookup(options.allowPrivateNetworks) },
  });
  return {
    async send({ url, headers, body }) {
      const started = performance.now();
      const latencyMs = () => performance.now() - started;
      const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
      // An address written in the URL is never looked up, so it is checked here.
      if (!options.allowPrivateNetworks && isIP(host) && isForbiddenAddress(host))
        return { kind: 'no_answer', error: `address ${host} refused`, latencyMs: latencyMs() };
      try {
        const response = await request(url, {
          method: 'POST',
          headers,
          body,
          dispatcher: agent,
          signal: AbortSignal.timeout(options.timeoutMs),
        });
        await drain(response.body).catch(() => undefined);
        return { kind: 'answered', status: response.statusCode, latencyMs: latencyMs() };
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        const message = cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
        return { kind: 'no_answer', error: message.slice(0, 500), latencyMs: latencyMs() };
      }
    },
    close: () => agent.close(),
  };
}
