/**
 * Pipeline step "context": the correlation id (the client's `x-request-id` when it is a safe
 * token, else a new UUID, echoed in the response), the client's address (the socket's peer,
 * or behind a trusted proxy the nearest untrusted hop of `X-Forwarded-For`, an unparseable
 * hop included), and the W3C
 * `traceparent`. Every upstream call carries the request id and the traceparent.
 */
import { randomUUID } from 'node:crypto';
import ipaddr from 'ipaddr.js';
import type { GatewayPlugin } from '../plugin.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

/**
 * An address in canonical form (IPv4-mapped IPv6 as IPv4), or undefined when it is not one.
 * Only the four-part dotted form counts as IPv4: ipaddr.js also reads `10.1` or `0x0a.0.0.1`,
 * which no proxy writes.
 */
function parseIp(value: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const text = value.trim();
  if (!text.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  return ipaddr.isValid(text) ? ipaddr.process(text) : undefined;
}

function compileRanges(entries: readonly string[]): Range[] {
  return entries.map((entry) => {
    if (ipaddr.isValidCIDR(entry)) return ipaddr.parseCIDR(entry);
    const address = ipaddr.process(entry);
    return [address, address.kind() === 'ipv4' ? 32 : 128];
  });
}

function trusted(address: ipaddr.IPv4 | ipaddr.IPv6, ranges: readonly Range[]): boolean {
  return ranges.some(([network, bits]) => network.kind() === address.kind() && address.match(network, bits));
}

/** Longest text kept of a forwarded hop that is not an address. */
const MAX_HOP_TEXT = 64;

/**
 * The client's address: `peer` itself, unless it is a trusted proxy; then, reading
 * `X-Forwarded-For` from the right, the first address that is not a trusted proxy.
 *
 * A hop that is not an IP address (`unknown`, `1.2.3.4:5678`, garbage) cannot be a trusted
 * proxy, so the walk stops there and that hop, as written (trimmed, at most 64 characters;
 * `unknown` when empty), is the client's address. It is never replaced by the proxy's own
 * address: that would let whatever sits before the proxy pass as the proxy, and share the
 * proxy's allow-list entries and rate limits. Such an address matches no IP range, so an allow
 * list (server.ipAllowList, a key's allowedIps) refuses it.
 */
export function clientAddress(peer: string, forwardedFor: string | string[] | undefined, ranges: readonly Range[]): string {
  const address = parseIp(peer);
  if (address === undefined) return peer;
  if (ranges.length === 0 || !trusted(address, ranges) || forwardedFor === undefined) return address.toString();
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
  for (let index = hops.length - 1; index >= 0; index -= 1) {
    const text = (hops[index] ?? '').trim();
    const hop = parseIp(text);
    if (hop === undefined) return text === '' ? 'unknown' : text.slice(0, MAX_HOP_TEXT);
    if (!trusted(hop, ranges)) return hop.toString();
  }
  return address.toString();
}

/** The request-context plugin; `trustedProxies` are IPs or CIDRs (config `server.trustedProxies`). */
export function requestContextPlugin(trustedProxies: readonly string[]): GatewayPlugin {
  const ranges = compileRanges(trustedProxies);
  return {
    name: 'request-context',
    onRequest(exchange) {
      const given = exchange.req.headers['x-request-id'];
      exchange.requestId = typeof given === 'string' && SAFE_ID.test(given) ? given : randomUUID();
      exchange.res.setHeader('x-request-id', exchange.requestId);
      exchange.clientIp = clientAddress(exchange.clientIp, exchange.req.headers['x-forwarded-for'], ranges);
      const traceparent = exchange.req.headers.traceparent;
      if (typeof traceparent === 'string' && TRACEPARENT.test(traceparent)) exchange.traceparent = traceparent;
    },
    onUpstreamRequest(context, _source, headers) {
      headers['x-request-id'] = context.requestId;
      if (context.traceparent !== undefined) headers.traceparent = context.traceparent;
    },
  };
}
