/**
 * The help texts: usage, every option with its meaning and default, examples, exit codes.
 * `docs/cli.md` says the same at more length.
 */
import { CONFIG_DEFAULTS, DEFAULT_CONFIG_FILE, LOG_LEVELS } from '../config/index.js';

const CONFIG_OPTION = `  -c, --config FILE      Config file to load. Default: ${DEFAULT_CONFIG_FILE} in the current
                         directory when it exists, else the built-in defaults.`;

const ENVIRONMENT = `Environment:
  PORT, OPENCLAW_HOST, OPENCLAW_SCHEMA, OPENCLAW_SUPERGRAPH, OPENCLAW_ENGINE,
  OPENCLAW_LOG_LEVEL, OPENCLAW_LOG_FORMAT, OPENCLAW_SOURCE_<NAME>_URL, OPENCLAW_SOURCE_<NAME>_TIMEOUT_MS override
  the config file (see docs/config.md). OPENCLAW_DEBUG=1 prints stack traces with errors.`;

const SUPERGRAPH_RULE = `                         Its subgraph URLs are the ones served: a config file that sets
                         no "supergraph" does not re-route them (its sources are its
                         schema's); OPENCLAW_SOURCE_<NAME>_URL does.`;

/** `openclaw --help`. */
export const TOP_HELP = `OpenClaw Gateway: one GraphQL endpoint in front of many backends.

Usage: openclaw <command> [options]

Installed as "openclaw" and "openclaw-gateway" (the package's name: use it with npx where the
package is not installed, as "npx openclaw-gateway start").

Commands:
  start   Serve the unified graph over HTTP until stopped
  check   Validate the config and the schema, print the composed SDL
  keys    Manage API keys: create, list, show, update, rotate, revoke
  tokens  Revoke a bearer token by its jti on every running gateway (through Redis)
  help    Show a command's help (openclaw help start)

Options:
  -h, --help      Show this help; openclaw <command> --help shows a command's options
  -v, --version   Print the version

Examples:
  openclaw start --port 8080
  openclaw start --supergraph supergraph.graphql --workers auto
  openclaw check --json
  openclaw keys create --name "Partner A" --scopes catalog:read
  openclaw tokens revoke 5f1c7e0a-9b2d-4c43-a1f7-2a8e6f4b9d10 --expires-in 1h

Exit codes: 0 success, 1 error (printed as error[CODE]: message), 2 bad usage.
`;

/** `openclaw start --help`. */
export const START_HELP = `Usage: openclaw start [options]

Load the config, compose the unified graph from the schema files (or serve a supergraph as it
is) and serve it over HTTP. On SIGINT or SIGTERM the gateway closes and the command exits 0.

Options:
${CONFIG_OPTION}
  -p, --port N           Port to listen on, an integer from 0 to 65535 (0: any free port).
                         Default: $PORT, else server.port from the config, else ${CONFIG_DEFAULTS.server.port}.
      --host HOST        Interface to listen on: 0.0.0.0 (every IPv4 interface, as in a
                         container), :: (every interface), 127.0.0.1 (this machine only).
                         Default: $OPENCLAW_HOST, else server.host, else ${CONFIG_DEFAULTS.server.host}.
      --log-level LEVEL  Least severe log level written: ${LOG_LEVELS.join(', ')}.
                         Default: $OPENCLAW_LOG_LEVEL, else logging.level, else ${CONFIG_DEFAULTS.logging.level}.
                         Logs go to stderr: text on a terminal, JSON lines otherwise
                         ($OPENCLAW_LOG_FORMAT or logging.format: json, text, auto).
      --supergraph FILE  Serve this Apollo Federation supergraph SDL as it is; the schema
                         files are not read. Default: $OPENCLAW_SUPERGRAPH, else supergraph
                         from the config, else none.
${SUPERGRAPH_RULE}
  -w, --workers N|auto   Run N gateway processes (auto: one per core Node may use) on the
                         same port, under a primary process that restarts a worker that dies
                         and stops them all on SIGINT/SIGTERM. State the instances share
                         (rate limits, revocations) lives in Redis/PostgreSQL.
                         Default: one process, no workers.
  -h, --help             Show this help.

${ENVIRONMENT}

Examples:
  openclaw start
  openclaw start --config deploy/openclaw.config.ts --port 8080 --host 0.0.0.0
  openclaw start --supergraph supergraph.graphql --log-level debug
  openclaw start --workers auto

Exit codes: 0 stopped by SIGINT/SIGTERM, 1 error (config, schema, port in use), 2 bad usage,
130 a second SIGINT/SIGTERM while closing.
`;

/** `openclaw check --help`. */
export const CHECK_HELP = `Usage: openclaw check [options]

Validate the config and the schema: load the config, compose the unified graph exactly as
start does (without serving it), print its public SDL and exit.

Options:
${CONFIG_OPTION}
      --supergraph FILE  Check this Apollo Federation supergraph SDL instead of the schema
                         files. Default: $OPENCLAW_SUPERGRAPH, else supergraph from the
                         config, else none.
${SUPERGRAPH_RULE}
      --json             Print one JSON object on stdout instead of the SDL:
                         {"ok": true, "sources": [{"name", "kind", "url"}], "sdl": "..."}
                         or, on failure, {"ok": false, "error": {"code", "message"}}.
                         Default: off.
  -h, --help             Show this help.

${ENVIRONMENT}

Examples:
  openclaw check
  openclaw check --config deploy/openclaw.config.ts --json > graph.json

Exit codes: 0 valid, 1 invalid config or schema, 2 bad usage.
`;

const KEYS_STORE = `Where keys live: the embedded store under store.dataDir (default .openclaw/ beside the
config), or PostgreSQL when OPENCLAW_DATABASE_URL (store.databaseUrl) is set. Running gateways
see each change within a second (through Redis when OPENCLAW_REDIS_URL is set, else by checking
the store); the CLI can run while they do.`;

const KEYS_COMMON = `${CONFIG_OPTION}
      --json             Print JSON on stdout instead of text. On failure:
                         {"ok": false, "error": {"code", "message"}}. Default: off.
  -h, --help             Show this help.`;

const KEYS_EXIT = 'Exit codes: 0 done, 1 error (error[CODE]: message; NOT_FOUND for an unknown id), 2 bad usage.';

/** `openclaw keys --help`. */
export const KEYS_HELP = `Usage: openclaw keys <command> [ID] [options]

Manage API keys: clients send one in the x-api-key header. A key is shown once, when it is
created or rotated; only its digest is stored.

Commands:
  create   Create a key and print it (once)
  list     List and search keys (by name, owner, prefix, status)
  show     Show a key's record and usage
  update   Change a key's name, owner, scopes, rate limit, IP allow list or expiry
  rotate   Issue a new key for the same record; the old one works until a grace period ends
  revoke   Refuse a key from now on, everywhere

${KEYS_STORE}

Examples:
  openclaw keys create --name "Partner B" --scopes catalog:read,orders:read --rate-limit 500/min --allow-ip 203.0.113.0/24
  openclaw keys list --owner partner-b
  openclaw keys rotate key_8GfK2mQ9xT4bN1cV --grace 1h --json

Run openclaw keys <command> --help for a command's options.
${KEYS_EXIT}
`;

/** `openclaw keys create --help`. */
export const KEYS_CREATE_HELP = `Usage: openclaw keys create --name NAME [options]

Create an API key and print it. The key is shown this once: store it now; it cannot be shown
again, only rotated.

Options:
      --name NAME         What the key is for (required), 1 to 200 characters.
      --scopes A,B        Comma-separated scopes, e.g. orders:read,orders:write. Default: none.
      --owner OWNER       Who the key belongs to (searchable). Default: none.
      --rate-limit RATE   Requests per window: 100/min, 10/s, 5000/hour, 500/15min, 100000/day,
                          or "none". A request counts one per root field it selects (aliases
                          included), at least 1. Default: no per-key limit.
      --cost-limit COST   Cost budget per window, same syntax: 5000/min, or "none". A request
                          spends its estimated cost (or its root fields). Default: no budget.
      --allow-ip CIDR     Accept the key only from this IPv4 or IPv6 address or CIDR; repeat
                          for several. Default: any address.
      --expires-in TIME   Expire after this long: 30d, 12h, 90m, 2s (units ms s m h d w).
                          Default: never.
      --trusted-documents-only
                          The key runs only the trusted documents of persistedDocuments.manifest
                          (by id, or as their text); any other document is refused (403).
                          Default: any document the gateway accepts.
      --test              Make a test key (ocw_test_...) instead of a live one (ocw_live_...).
${KEYS_COMMON}

With --json: the record (id, name, owner, prefix, scopes, rateLimit, costLimit, allowedIps,
trustedDocumentsOnly, expiresAt, status, ...) and, this once, "key".

Examples:
  openclaw keys create --name "Partner A" --scopes catalog:read --rate-limit 100/min
  openclaw keys create --name "Partner B" --rate-limit 600/min --cost-limit 5000/min
  openclaw keys create --name ci --test --expires-in 2h --json

${KEYS_EXIT}
`;

/** `openclaw keys list --help`. */
export const KEYS_LIST_HELP = `Usage: openclaw keys list [options]

List keys, newest first. Filters combine.

Options:
      --name TEXT         Names containing TEXT (any case).
      --owner OWNER       Keys of this owner.
      --prefix PREFIX     Keys whose prefix starts with PREFIX (e.g. ocw_live_AbCd).
      --status STATUS     active, expired or revoked.
      --limit N           At most N keys, 1 to 1000. Default: 100.
${KEYS_COMMON}

Examples:
  openclaw keys list --owner partner-b
  openclaw keys list --status active --json

${KEYS_EXIT}
`;

/** `openclaw keys show --help`. */
export const KEYS_SHOW_HELP = `Usage: openclaw keys show ID [options]

Show a key's record and its usage per day (requests, errors, last use).

Options:
      --days N            Usage over the last N days (UTC), 1 to 366. Default: 30.
${KEYS_COMMON}

Examples:
  openclaw keys show key_8GfK2mQ9xT4bN1cV
  openclaw keys show key_8GfK2mQ9xT4bN1cV --days 7 --json

${KEYS_EXIT}
`;

/** `openclaw keys update --help`. */
export const KEYS_UPDATE_HELP = `Usage: openclaw keys update ID [options]

Change a key; options not given stay as they are. The key itself does not change. Running
gateways apply the change within a second.

Options:
      --name NAME         New name.
      --owner OWNER       New owner.
      --no-owner          Remove the owner.
      --scopes A,B        Replace the scopes (--scopes "" removes them all).
      --rate-limit RATE   Replace the rate limit (100/min, ...); "none" removes it.
      --cost-limit COST   Replace the cost budget (5000/min, ...); "none" removes it.
      --allow-ip CIDR     Replace the IP allow list; repeat for several.
      --allow-any-ip      Remove the IP allow list.
      --expires-in TIME   Expire this long from now (30d, 12h, ...).
      --no-expiry         Never expire.
      --trusted-documents-only
                          Run only the trusted documents of persistedDocuments.manifest.
      --allow-any-document
                          Lift --trusted-documents-only: any document the gateway accepts.
${KEYS_COMMON}

Examples:
  openclaw keys update key_8GfK2mQ9xT4bN1cV --scopes catalog:read,orders:read --rate-limit 500/min
  openclaw keys update key_8GfK2mQ9xT4bN1cV --allow-ip 203.0.113.0/24 --allow-ip 2001:db8::/32

${KEYS_EXIT}
`;

/** `openclaw keys rotate --help`. */
export const KEYS_ROTATE_HELP = `Usage: openclaw keys rotate ID [options]

Issue a new key for the same record (same id, scopes, limits, IPs and expiry) and print it
once. The old key keeps working until the grace period ends, never past the key's expiry.

Options:
      --grace TIME        How long the old key keeps working: 24h, 1h, 15m, 0 (ends it now).
                          Default: apiKeys.rotationGraceMs from the config, else 24h.
${KEYS_COMMON}

With --json: the record and, this once, "key".

Examples:
  openclaw keys rotate key_8GfK2mQ9xT4bN1cV
  openclaw keys rotate key_8GfK2mQ9xT4bN1cV --grace 0 --json

${KEYS_EXIT}
`;

/** `openclaw keys revoke --help`. */
export const KEYS_REVOKE_HELP = `Usage: openclaw keys revoke ID [options]

Refuse the key from now on: every running gateway instance refuses it within a second.
Final: a revoked key cannot be restored (create a new one).

Options:
${KEYS_COMMON}

Examples:
  openclaw keys revoke key_8GfK2mQ9xT4bN1cV

${KEYS_EXIT}
`;

const TOKENS_REACH = `Running gateways share their revoked tokens through Redis (store.redisUrl or
OPENCLAW_REDIS_URL): the command writes the revocation there and every instance refuses the
token within a second; an instance started later loads it. Without Redis each gateway keeps its
own list in memory, out of the command's reach: revoke on each instance through its admin API
(POST /admin/graphql, mutation revokeToken; docs/tokens.md).`;

/** `openclaw tokens --help`. */
export const TOKENS_HELP = `Usage: openclaw tokens <command> [options]

Manage the bearer tokens the gateway accepts (issued by your OpenID Connect provider).

Commands:
  revoke   Refuse a token, by its jti, on every running gateway until its exp

${TOKENS_REACH}

Examples:
  openclaw tokens revoke 5f1c7e0a-9b2d-4c43-a1f7-2a8e6f4b9d10 --expires-at 2030-01-31T12:00:00Z
  openclaw tokens revoke 5f1c7e0a-9b2d-4c43-a1f7-2a8e6f4b9d10 --expires-in 1h --json

Exit codes: 0 done, 1 error (error[CODE]: message), 2 bad usage.
`;

/** `openclaw tokens revoke --help`. */
export const TOKENS_REVOKE_HELP = `Usage: openclaw tokens revoke JTI (--expires-at TIME | --expires-in DURATION) [options]

Refuse the bearer token whose "jti" claim is JTI, from now until the given time. Give the
token's own exp: after it the token is refused anyway, and the revocation is dropped. Tokens
without a jti cannot be revoked this way (revoke them at the provider; docs/tokens.md). A jti
that starts with "-" goes after "--", where it cannot be read as an option.

Options:
      --expires-at TIME   Until when: the token's exp, as an ISO 8601 time
                          (2030-01-31T12:00:00Z) or seconds since the epoch (1906545600).
      --expires-in TIME   Or how long from now: 1h, 30m, 7d (units s, m, h, d, w).
${CONFIG_OPTION}
      --json              Print JSON on stdout instead of text:
                          {"ok": true, "jti", "expiresAt", "instancesNotified"} or, on
                          failure, {"ok": false, "error": {"code", "message"}}. Default: off.
  -h, --help              Show this help.

${TOKENS_REACH}

Examples:
  openclaw tokens revoke 5f1c7e0a-9b2d-4c43-a1f7-2a8e6f4b9d10 --expires-at 1906545600
  OPENCLAW_REDIS_URL=redis://redis:6379 openclaw tokens revoke abc123 --expires-in 15m
  openclaw tokens revoke --expires-in 1h -- -Xq3v9Lr0aT2

Exit codes: 0 revoked, 1 error (CONFIG_INVALID: no Redis configured; STORE_UNAVAILABLE: Redis
unreachable), 2 bad usage (a missing jti, a time in the past).
`;
