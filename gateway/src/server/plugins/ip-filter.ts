/**
 * Pipeline step "IP filter", right after request-context (which settles the client's address,
 * trusted-proxy aware): `server.ipDenyList` and `server.ipAllowList` (IPv4 and IPv6 addresses
 * and CIDRs) admit or refuse each request before any other work, on every route. A denied
 * address, or one outside a non-empty allow list, gets 403 `IP_NOT_ALLOWED`. Deny wins over
 * allow. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.1`) are matched as the IPv4 address they
 * are, on either side. A client address that is not an IP (an unparseable `X-Forwarded-For`
 * hop from a trusted proxy) is outside every list: refused when an allow list is set.
 */
import { compileAllowList, normalizeCidr } from '../../auth/api-keys/ip-allow-list.js';
import { GatewayError } from '../../errors/index.js';
import type { GatewayPlugin } from '../plugin.js';

/** The lists, as `server.ipAllowList` / `server.ipDenyList` give them (validated by the config). */
export interface IpFilterLists {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
}

function compile(entries: readonly string[], key: string) {
  return compileAllowList(
    entries.map((entry) => {
      const cidr = normalizeCidr(entry);
      if (cidr === undefined) throw new GatewayError('CONFIG_INVALID', `${key} must list IP addresses or CIDRs; received ${JSON.stringify(entry)}.`);
      return cidr;
    }),
  );
}

/** True when the filter has nothing to do (both lists empty): the plugin is then left out. */
export function ipFilterIsOff(lists: IpFilterLists): boolean {
  return lists.allow.length === 0 && lists.deny.length === 0;
}

/** The IP filter plugin. */
export function ipFilterPlugin(lists: IpFilterLists): GatewayPlugin {
  const allow = compile(lists.allow, 'server.ipAllowList');
  const deny = compile(lists.deny, 'server.ipDenyList');
  const denies = lists.deny.length > 0;
  const allows = lists.allow.length > 0;
  return {
    name: 'ip-filter',
    onRequest(exchange) {
      const ip = exchange.clientIp;
      if (denies && deny.allows(ip)) {
        throw new GatewayError('IP_NOT_ALLOWED', `Requests from ${ip.slice(0, 64)} are refused (server.ipDenyList).`);
      }
      if (allows && !allow.allows(ip)) {
        throw new GatewayError('IP_NOT_ALLOWED', `Requests from ${ip.slice(0, 64) || 'an unknown address'} are not allowed (server.ipAllowList).`);
      }
    },
  };
}
