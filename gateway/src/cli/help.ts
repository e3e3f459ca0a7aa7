/**
 * The help texts: usage, every option with its meaning and default, examples, exit codes.
 * `docs/cli.md` says the same at more length.
 */
import { CONFIG_DEFAULTS, DEFAULT_CONFIG_FILE } from '../config/index.js';

const CONFIG_OPTION = `  -c, --config FILE      Config file to load. Default: ${DEFAULT_CONFIG_FILE} in the current
                         directory when it exists, else the built-in defaults.`;

const ENVIRONMENT = `Environment:
  PORT, OPENCLAW_HOST, OPENCLAW_SCHEMA, OPENCLAW_SUPERGRAPH, OPENCLAW_ENGINE,
  OPENCLAW_LOG_LEVEL, OPENCLAW_SOURCE_<NAME>_URL, OPENCLAW_SOURCE_<NAME>_TIMEOUT_MS override the config file
  (see docs/config.md). OPENCLAW_DEBUG=1 prints stack traces with errors.`;

/** `openclaw --help`. */
export const TOP_HELP = `OpenClaw Gateway: one GraphQL endpoint in front of many backends.

Usage: openclaw <command> [options]

Commands:
  start   Serve the unified graph over HTTP until stopped
  check   Validate the config and the schema, print the composed SDL
  help    Show a command's help (openclaw help start)

Options:
  -h, --help      Show this help; openclaw <command> --help shows a command's options
  -v, --version   Print the version

Examples:
  openclaw start --port 8080
  openclaw check --json

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
      --supergraph FILE  Serve this Apollo Federation supergraph SDL as it is; the schema
                         files are not read. Default: $OPENCLAW_SUPERGRAPH, else supergraph
                         from the config, else none.
  -h, --help             Show this help.

${ENVIRONMENT}

Examples:
  openclaw start
  openclaw start --config deploy/openclaw.config.ts --port 8080
  openclaw start --supergraph supergraph.graphql

Exit codes: 0 stopped by SIGINT/SIGTERM, 1 error (config, schema, port in use), 2 bad usage.
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
