/**
 * The runner's command line: `npm run bench -- [command] [flags]`. Every duration and count is
 * a flag; `--quick` shortens them all for working on the harness (its figures are not results).
 */
import { parseArgs } from 'node:util';

/** What to run. `all` is federation, demo, scaling and micro; soak, reference and hostile run only when asked. */
export const COMMANDS = ['all', 'federation', 'demo', 'scaling', 'micro', 'soak', 'reference', 'hostile'] as const;
export type Command = (typeof COMMANDS)[number];

/** The parsed command line. */
export interface BenchOptions {
  command: Command;
  quick: boolean;
  warmupSeconds: number;
  measureSeconds: number;
  repeats: number;
  connections: number;
  modes: Array<'a' | 'b'>;
  /** Contender ids to run (federation workload); empty for all. */
  only: string[];
  profile: boolean;
  pin: boolean;
  soakSeconds: number;
  soakIntervalSeconds: number;
  /** Engine for the demo workload, soak and scaling; `default` leaves the config key out. */
  engine: 'reference' | 'plan' | 'default';
  /** The command line as typed, for the results file. */
  commandLine: string;
}

/** Printed by `--help`. */
export const HELP = `npm run bench -- [command] [flags]

Commands:
  all (default)  the federation workload, the demo workload, worker scaling, micro benchmarks
  federation     OpenClaw, its peers and the floor on the public federation benchmark
  demo           OpenClaw on the demo graph (REST, gRPC, GraphQL) next to direct calls
  scaling        OpenClaw with 1 and 2 workers (openclaw start --workers N)
  micro          every bench/micro/*.ts script
  soak           load against OpenClaw, RSS sampled, verdict on growth
  reference      rewrite bench/workload/expected-response.json from @apollo/gateway
  hostile        hostile documents against OpenClaw on the demo graph while a steady client runs:
                 each refusal's time, the client's p99 without and during the attack (no peers)

Flags:
  --quick               short everything (1 s warm-up, 3 s measured, 1 repeat, 60 s soak)
  --warmup S            warm-up per repeat, seconds (5)
  --duration S          measured window per repeat, seconds (20)
  --repeats N           repeats; the table shows medians (3)
  --connections N       concurrent clients (50)
  --mode a|b|both       a: identical query; b: deduplication off everywhere (both)
  --only ID,...         contenders: floor, openclaw-reference, openclaw-plan,
                        openclaw-plan-admit-all, openclaw-plan-bare,
                        openclaw-plan-secure, hive, hive-jit, hive-router, apollo
  --profile             also run OpenClaw with --cpu-prof into bench/results/ and print the
                        top self-time entries
  --engine E            reference | plan | default, for demo, soak and scaling (default)
  --soak-duration S     soak length, seconds or e.g. 10m (600)
  --soak-interval S     RSS sample interval, seconds (30)
  --no-pin              do not pin processes to cores
`;

/** Seconds from "20", "20s" or "10m". */
function seconds(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(raw.trim());
  if (!match) throw new Error(`--${flag} must be a number of seconds (e.g. 20, 20s or 10m); received "${raw}"`);
  return Number(match[1]) * (match[2] === 'm' ? 60 : 1);
}

function count(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${flag} must be a positive integer; received "${raw}"`);
  return value;
}

/** Parses `argv`; returns `undefined` after printing help. Throws on bad usage. */
export function parseBenchOptions(argv: string[]): BenchOptions | undefined {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      warmup: { type: 'string' },
      duration: { type: 'string' },
      repeats: { type: 'string' },
      connections: { type: 'string' },
      mode: { type: 'string' },
      only: { type: 'string' },
      profile: { type: 'boolean', default: false },
      engine: { type: 'string' },
      'soak-duration': { type: 'string' },
      'soak-interval': { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return undefined;
  }
  if (positionals.length > 1) throw new Error(`one command at most; received ${positionals.join(' ')}`);
  const command = (positionals[0] ?? 'all') as Command;
  if (!COMMANDS.includes(command)) throw new Error(`unknown command "${command}"; commands: ${COMMANDS.join(', ')}`);
  const quick = values.quick;
  const mode = values.mode ?? 'both';
  if (!['a', 'b', 'both'].includes(mode)) throw new Error(`--mode must be a, b or both; received "${mode}"`);
  const engine = values.engine ?? 'default';
  if (engine !== 'reference' && engine !== 'plan' && engine !== 'default') {
    throw new Error(`--engine must be reference, plan or default; received "${engine}"`);
  }
  return {
    command,
    quick,
    warmupSeconds: seconds('warmup', values.warmup, quick ? 1 : 5),
    measureSeconds: seconds('duration', values.duration, quick ? 3 : 20),
    repeats: count('repeats', values.repeats, quick ? 1 : 3),
    connections: count('connections', values.connections, 50),
    modes: mode === 'both' ? ['a', 'b'] : [mode as 'a' | 'b'],
    only: (values.only ?? '').split(',').map((id) => id.trim()).filter((id) => id !== ''),
    profile: values.profile,
    pin: !values['no-pin'],
    soakSeconds: seconds('soak-duration', values['soak-duration'], quick ? 60 : 600),
    soakIntervalSeconds: seconds('soak-interval', values['soak-interval'], quick ? 10 : 30),
    engine,
    commandLine: ['npm run bench --', ...argv].join(' ').replace(/ --$/, ''),
  };
}
