/**
 * A key's IP allow list: IPv4 and IPv6 CIDRs (a bare address means just that address), parsed
 * by ipaddr.js. Lists are normalised when a key is written and compiled once per cached key,
 * so a request pays for parsing its own address and one comparison per range.
 */
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * `text` as a normalised CIDR (`203.0.113.7/24` -> `203.0.113.0/24`, `2001:DB8::1` ->
 * `2001:db8::1/128`), or `undefined` when it is neither an IPv4 nor an IPv6 address or CIDR.
 * An IPv4-mapped IPv6 range (`::ffff:10.0.0.0/104`) is written as the IPv4 range it means.
 */
export function normalizeCidr(text: string): string | undefined {
  const trimmed = text.trim();
  const parts = trimmed.split('/');
  if (parts.length > 2) return undefined;
  const [host = '', bitsText] = parts;
  // ipaddr.js also reads "10.1" and "0x0a.0.0.1" as IPv4; in an allow list that is a typo.
  if (!host.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(host)) return undefined;
  if (bitsText !== undefined && !/^\d{1,3}$/.test(bitsText)) return undefined;
  try {
    let address: Address = ipaddr.parse(host);
    const max = address.kind() === 'ipv4' ? 32 : 128;
    let bits = bitsText === undefined ? max : Number(bitsText);
    if (bits > max) return undefined;
    if (address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() && bits >= 96) {
      address = (address as ipaddr.IPv6).toIPv4Address();
      bits -= 96;
    }
    const cidr = `${address.toString()}/${bits}`;
    const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
    return `${network.toString()}/${bits}`;
  } catch {
    return undefined;
  }
}

/** A compiled allow list. */
export interface IpAllowList {
  /** True when `ip` (as the socket or a trusted proxy reports it) is inside one of the ranges. */
  allows(ip: string | undefined): boolean;
}

/** Allows everything: a key without an allow list. */
const ANY: IpAllowList = { allows: () => true };

/**
 * Compiles normalised CIDRs (as `normalizeCidr` returns them). An empty list allows every
 * address. A client address that cannot be parsed is never allowed by a non-empty list; an
 * IPv4-mapped IPv6 client (`::ffff:203.0.113.9`) is matched as the IPv4 address it is.
 */
export function compileAllowList(cidrs: readonly string[]): IpAllowList {
  if (cidrs.length === 0) return ANY;
  const v4: Array<[ipaddr.IPv4, number]> = [];
  const v6: Array<[ipaddr.IPv6, number]> = [];
  for (const cidr of cidrs) {
    const [address, bits] = ipaddr.parseCIDR(cidr);
    if (address.kind() === 'ipv4') v4.push([address as ipaddr.IPv4, bits]);
    else v6.push([address as ipaddr.IPv6, bits]);
  }
  return {
    allows(ip) {
      if (ip === undefined || !ipaddr.isValid(ip)) return false;
      const address = ipaddr.process(ip);
      if (address.kind() === 'ipv4') return v4.some((range) => (address as ipaddr.IPv4).match(range));
      return v6.some((range) => (address as ipaddr.IPv6).match(range));
    },
  };
}
