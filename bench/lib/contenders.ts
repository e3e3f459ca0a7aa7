/**
 * The gateways the federation workload measures, each started as its users start it: the
 * floor, OpenClaw (reference and plan engines), @graphql-hive/gateway (plain, `--jit`, and on
 * @graphql-hive/router-runtime) and @apollo/gateway on @apollo/server. Peers run from
 * bench/node_modules through their own CLIs or the small entry files in bench/peers/.
 *
 * Mode (a) sends the identical query with every gateway's defaults (Hive Gateway deduplicates
 * identical in-flight subgraph requests). Mode (b) switches every deduplication off; the
 * runner also checks the subgraph calls per request, so a gateway that still saves calls is
 * seen.
 */
import { join } from 'node:path';
import { GatewayProcess, type LaunchSpec } from './gateway-process.js';
import { startOpenClaw, type Engine } from './openclaw.js';
import { BENCH_DIR, PEERS_DIR, PEER_BIN, REPO_DIR, installedVersion } from './paths.js';

/** (a) identical query, deduplication allowed; (b) deduplication off everywhere. */
export type Mode = 'a' | 'b';

/** What a contender needs to start. */
export interface StartContext {
  port: number;
  mode: Mode;
  supergraphFile: string;
  subgraphsUrl: string;
  workDir: string;
  cpus: string | null;
  /** Profile the process into this folder (OpenClaw only). */
  profileDir?: string;
}

/** One gateway of the comparison. */
export interface Contender {
  id: string;
  label: string;
  /** Versions, read when asked: the peers may be installed after this module loads. */
  version(): string;
  /** True for OpenClaw's own processes (profiled with --profile). */
  ours: boolean;
  /** The started gateway, a note for the table, and headers every request must carry. */
  start(context: StartContext): Promise<{ gateway: GatewayProcess; note: string; headers?: Record<string, string> }>;
}

async function startSpec(spec: LaunchSpec, cpus: string | null): Promise<{ gateway: GatewayProcess; note: string }> {
  return { gateway: await GatewayProcess.start(spec, cpus), note: '' };
}

const floor: Contender = {
  id: 'floor',
  label: 'the floor (undici, 7 planned calls, no GraphQL work)',
  version: () => `undici ${installedVersion('undici', true)}`,
  ours: false,
  start: (context) =>
    startSpec(
      {
        argv: [process.execPath, '--import', 'tsx', join(BENCH_DIR, 'servers', 'floor.ts'), '--subgraphs', context.subgraphsUrl, '--port', String(context.port)],
        cwd: REPO_DIR,
        url: `http://127.0.0.1:${context.port}/graphql`,
      },
      context.cpus,
    ),
};

/** A variant of an OpenClaw contender: its id and label suffixes, config and API key. */
interface Variant {
  id: string;
  label: string;
  config?: Record<string, unknown>;
  /** `openclaw keys create` flags: every request then carries that key. */
  apiKey?: readonly string[];
}

/**
 * OpenClaw with `engine`, and `variant`'s config on top: `admit-all` adds `server.admission:
 * 'off'` (every request executes at once, as before adaptive admission), to show what
 * admission is worth in the same run.
 */
function openclaw(engine: Exclude<Engine, 'default'>, variant?: Variant): Contender {
  return {
    id: `openclaw-${engine}${variant ? `-${variant.id}` : ''}`,
    label: `OpenClaw \`start --supergraph\`, engine: '${engine}'${variant ? `, ${variant.label}` : ''}`,
    version: () => `openclaw-gateway ${installedVersion('openclaw-gateway', true)}`,
    ours: true,
    start: (context) =>
      startOpenClaw(
        {
          engine,
          port: context.port,
          workDir: context.workDir,
          supergraph: context.supergraphFile,
          ...(variant?.config ? { config: variant.config } : {}),
          ...(variant?.apiKey ? { apiKey: variant.apiKey } : {}),
          ...(context.profileDir ? { profileDir: context.profileDir } : {}),
        },
        context.cpus,
      ),
  };
}

const ADMIT_ALL: Variant = { id: 'admit-all', label: "server.admission: 'off'", config: { server: { admission: 'off' } } };

/** The security stack off: no operation limits, no demand control, no API key. */
const BARE: Variant = {
  id: 'bare',
  label: 'security off (limits.enabled: false, demandControl.mode: off, no API key)',
  config: { limits: { enabled: false }, demandControl: { mode: 'off' } },
};

/**
 * The whole security stack on: the default operation limits and demand control, and an API key
 * on every request with a rate limit and a cost budget (both far above what the run spends, so
 * every request is checked and admitted).
 */
const SECURE: Variant = {
  id: 'secure',
  label: 'security on (limits, demand control, an API key with --rate-limit and --cost-limit on every request)',
  apiKey: ['--rate-limit', '1000000/min', '--cost-limit', '100000000/s'],
};

function hive(id: string, label: string, flags: string[]): Contender {
  return {
    id,
    label,
    version: () => `@graphql-hive/gateway ${installedVersion('@graphql-hive/gateway')}${flags.includes('--hive-router-runtime') ? `, router-runtime ${installedVersion('@graphql-hive/router-runtime')}` : ''}`,
    ours: false,
    start: (context) =>
      startSpec(
        {
          argv: [
            join(PEER_BIN, 'hive-gateway'),
            'supergraph',
            context.supergraphFile,
            '--host',
            '127.0.0.1',
            '--port',
            String(context.port),
            '--fork',
            '1',
            ...flags,
            ...(context.mode === 'b' ? ['--config-path', join(PEERS_DIR, 'hive-gateway.config.mjs')] : []),
          ],
          cwd: context.workDir,
          url: `http://127.0.0.1:${context.port}/graphql`,
        },
        context.cpus,
      ).then((started) => ({ ...started, note: context.mode === 'b' ? 'deduplicateInflightRequests: false' : '' })),
  };
}

const apollo: Contender = {
  id: 'apollo',
  label: '@apollo/gateway on @apollo/server',
  version: () => `@apollo/gateway ${installedVersion('@apollo/gateway')}, @apollo/server ${installedVersion('@apollo/server')}`,
  ours: false,
  start: (context) =>
    startSpec(
      {
        argv: [process.execPath, join(PEERS_DIR, 'apollo-gateway.mjs'), '--supergraph', context.supergraphFile, '--port', String(context.port)],
        cwd: REPO_DIR,
        url: `http://127.0.0.1:${context.port}/`,
      },
      context.cpus,
    ),
};

/** Every contender, in the order they run and are listed. */
export const CONTENDERS: readonly Contender[] = [
  floor,
  openclaw('reference'),
  openclaw('plan'),
  openclaw('plan', ADMIT_ALL),
  openclaw('plan', BARE),
  openclaw('plan', SECURE),
  hive('hive', '@graphql-hive/gateway', []),
  hive('hive-jit', '@graphql-hive/gateway --jit', ['--jit']),
  hive('hive-router', '@graphql-hive/gateway --hive-router-runtime', ['--hive-router-runtime']),
  apollo,
];
