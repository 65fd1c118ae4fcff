import { lookup } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Config } from '../config/config.js';

/**
 * Whether webhooks may reach addresses that are not on the public internet. A project's secret
 * key holder chooses the URL, and the server POSTs to it from inside the operator's network: by
 * default it must not be able to reach the cloud metadata service, the database or anything
 * else behind the firewall (server-side request forgery). `allow` is for single-team
 * deployments whose receivers are internal.
 */
export type PrivateNetworks = Config['TENURE_WEBHOOK_PRIVATE_NETWORKS'];

// Loopback, private, link-local, carrier-grade NAT, benchmarking, multicast, reserved and
// unspecified ranges (RFC 6890). IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) match the IPv4
// ranges.
const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const refusal = (host: string, address: string) =>
  `${host} is ${address}, not a public address; ` +
  'set TENURE_WEBHOOK_PRIVATE_NETWORKS=allow to deliver inside your network';

/** The host of a URL as an address or a name to resolve (`[::1]` → `::1`). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Why a webhook URL may not be subscribed, or null. Checked when it is created, so that a
 * mistake is answered at once; a name that does not resolve yet is accepted (delivery checks
 * again, on every connection).
 */
export async function urlRefusal(url: URL, policy: PrivateNetworks): Promise<string | null> {
  if (policy === 'allow') return null;
  const host = hostOf(url);
  if (isIP(host)) return addressRefusal(url);
  try {
    const blocked = (await lookupAll(host, { all: true })).find(
      ({ address }) => !isPublicAddress(address),
    );
    return blocked ? refusal(host, blocked.address) : null;
  } catch {
    return null;
  }
}

/** The same check for a URL whose host is an address: connecting to it does no lookup. */
export function addressRefusal(url: URL): string | null {
  const host = hostOf(url);
  return isIP(host) && !isPublicAddress(host) ? refusal(host, host) : null;
}

type AllCallback = (
  error: Error | null,
  addresses: Array<{ address: string; family: number }>,
) => void;

/**
 * A DNS lookup for outgoing connections that fails when a name resolves to an address that is
 * not public. It runs as the socket connects, so a name cannot pass a check and then resolve
 * elsewhere for the connection itself (DNS rebinding).
 */
export const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, '', 0);
    const blocked = addresses.find(({ address }) => !isPublicAddress(address));
    if (blocked) {
      const refused = Object.assign(new Error(refusal(hostname, blocked.address)), {
        code: 'ERR_WEBHOOK_TARGET_NOT_PUBLIC',
      });
      return callback(refused, '', 0);
    }
    if (options.all) return (callback as AllCallback)(null, addresses);
    const [first] = addresses;
    return callback(null, first?.address ?? '', first?.family ?? 4);
  });
};
