import { invalid } from '@ektola/platform/errors';

export interface UrlPolicy {
  /** CALLBACKS_ALLOW_HTTP: plain http accepted (the local stack and tests). */
  allowHttp: boolean;
  /** CALLBACKS_ALLOW_PRIVATE_NETWORKS: loopback, private, link-local and metadata addresses accepted. */
  allowPrivateNetworks: boolean;
}

const field = 'body.url';

/** The URL as a receiver's address: absolute, https (or http when allowed), no credentials, at most 2,048 characters. */
export function parseEndpointUrl(text: string, policy: UrlPolicy): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('url must be an absolute URL', [{ path: field, message: 'must be an absolute URL' }]);
  }
  if (text.length > 2048)
    throw invalid('url is too long', [{ path: field, message: 'must be at most 2048 characters' }]);
  const allowed = policy.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!allowed.includes(url.protocol))
    throw invalid('url must use https', [
      { path: field, message: `must use ${policy.allowHttp ? 'http or https' : 'https'}` },
    ]);
  if (url.username || url.password)
    throw invalid('url must not carry credentials', [{ path: field, message: 'must not carry a user or password' }]);
  return url;
}

const v4 = (address: string) => {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((part) => Number.isInteger(part) && part >= 0 && part <= 255) ? parts : null;
};

function isForbiddenV4([a = 0, b = 0]: number[]): boolean {
  return (
    a === 0 || // "this" network
    a === 10 ||
    a === 127 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, the metadata address 169.254.169.254 among them
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast and reserved
  );
}

/** Whether a resolved address is one a callback must never reach: loopback, private, link-local, metadata and the like. */
export function isForbiddenAddress(address: string): boolean {
  const plain = address.replace(/^\[|\]$/g, '').toLowerCase();
  const four = v4(plain);
  if (four) return isForbiddenV4(four);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(plain);
  if (mapped?.[1]) return isForbiddenAddress(mapped[1]);
  if (plain === '::' || plain === '::1') return true;
  const first = Number.parseInt(plain.split(':')[0] || '0', 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 || // multicast
    plain.startsWith('fd00:ec2::254') // the metadata address over IPv6
  );
}

/** Refuses an endpoint whose host resolves to a forbidden address (at creation; the sender checks again at connect time). */
export function checkResolvedAddresses(addresses: readonly string[], policy: UrlPolicy): void {
  if (policy.allowPrivateNetworks) return;
  if (addresses.length === 0)
    throw invalid('url host does not resolve', [{ path: field, message: 'host does not resolve to an address' }]);
  const forbidden = addresses.find(isForbiddenAddress);
  if (forbidden)
    throw invalid('url resolves to a private address', [
      { path: field, message: `resolves to ${forbidden}, a loopback, private, link-local or metadata address` },
    ]);
}
