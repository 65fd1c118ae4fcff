import { lookup } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import type { Config } from '../config/config.js';
import type { Db } from '../db/database.types.js';

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

// IPv6 ranges with no IPv4 address to judge them by: local-use NAT64 (RFC 8215, never global)
// and Teredo (RFC 4380: a relay, with the client's address obfuscated inside).
const NEVER_PUBLIC_V6 = new BlockList();
NEVER_PUBLIC_V6.addSubnet('64:ff9b:1::', 48, 'ipv6');
NEVER_PUBLIC_V6.addSubnet('2001::', 32, 'ipv6');

/** The eight 16-bit words of a valid IPv6 address (`::` expanded, a dotted tail read). */
function ipv6Words(address: string): number[] {
  let text = address.toLowerCase().replace(/%.*$/, '');
  const dotted = /^(.*:)(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(2).map(Number) as [number, number, number, number];
    text = `${dotted[1]}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const words = (part: string) => (part ? part.split(':') : []);
  const gap =
    tail === undefined ? [] : Array(8 - words(head).length - words(tail).length).fill('0');
  return [...words(head), ...gap, ...words(tail ?? '')].map((word) => Number.parseInt(word, 16));
}

const ipv4Of = (high: number, low: number) =>
  `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/**
 * The IPv4 address an IPv6 address carries and leads to, if it has one: IPv4-compatible
 * `::a.b.c.d`, IPv4-mapped `::ffff:a.b.c.d`, IPv4-translated `::ffff:0:a.b.c.d`, NAT64
 * `64:ff9b::a.b.c.d` (what DNS64 answers on an IPv6-only network), 6to4 `2002:AABB:CCDD::`.
 * Without this, `[64:ff9b::a9fe:a9fe]` reaches the metadata service 169.254.169.254.
 */
function embeddedIPv4(address: string): string | undefined {
  const w = ipv6Words(address);
  const zeros = (from: number, to: number) => w.slice(from, to).every((word) => word === 0);
  if (zeros(0, 6)) return ipv4Of(w[6]!, w[7]!);
  if (zeros(0, 5) && w[5] === 0xffff) return ipv4Of(w[6]!, w[7]!);
  if (zeros(0, 4) && w[4] === 0xffff && w[5] === 0) return ipv4Of(w[6]!, w[7]!);
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return ipv4Of(w[6]!, w[7]!);
  if (w[0] === 0x2002) return ipv4Of(w[1]!, w[2]!);
  return undefined;
}

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 4) return !NOT_PUBLIC.check(address, 'ipv4');
  if (NEVER_PUBLIC_V6.check(address, 'ipv6')) return false;
  const ipv4 = embeddedIPv4(address);
  if (ipv4 !== undefined) return isPublicAddress(ipv4);
  return !NOT_PUBLIC.check(address, 'ipv6');
}

/**
 * Why the project may not add another webhook, or null. A cap, because every webhook is a
 * delivery per transition: without one a secret key made 615 of them (#15). Counted before the
 * insert, so two concurrent creates may pass it by one.
 */
export async function webhookCapRefusal(
  db: Db,
  projectId: string,
  cap: number,
): Promise<string | null> {
  const { count } = await db
    .selectFrom('webhooks')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('project_id', '=', projectId)
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(count) >= cap
    ? `The project has ${count} webhooks, the most allowed (TENURE_WEBHOOKS_PER_PROJECT); delete one first`
    : null;
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
