import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { AddressResolver } from '../domain/ports.ts';

export const dnsAddressResolver: AddressResolver = {
  async resolve(hostname) {
    if (isIP(hostname)) return [hostname];
    const addresses = await lookup(hostname, { all: true });
    return addresses.map((entry) => entry.address);
  },
};
