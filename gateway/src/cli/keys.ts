/**
 * `openclaw keys create|list|show|update|rotate|revoke`: parse the options, call the key
 * lifecycle service (auth/api-keys) on the configured store, print. Works while gateways run,
 * on the embedded file too; each change reaches them within a second.
 */
import { parseArgs } from 'node:util';
// Only the light modules statically: `--help` and bad usage do not pay for the stores' drivers.
import { DURATION_SHAPE, parseDuration } from '../auth/api-keys/duration.js';
import { parseKeyRateLimit } from '../auth/api-keys/rate-policy.js';
import { recordToJson } from '../auth/api-keys/record.js';
import type { ApiKeyService, UpdateKeyInput } from '../auth/api-keys/service.js';
import { loadConfig, suggestClosest } from '../config/index.js';
import { isGatewayError } from '../errors/index.js';
import type { RateLimitPolicy } from '../auth/principal.js';
import type { Logger } from '../telemetry/logger.js';
import { parseOptions, UsageError, wantsHelp, type OptionSpec } from './args.js';
import {
  KEYS_CREATE_HELP,
  KEYS_HELP,
  KEYS_LIST_HELP,
  KEYS_REVOKE_HELP,
  KEYS_ROTATE_HELP,
  KEYS_SHOW_HELP,
  KEYS_UPDATE_HELP,
} from './help.js';
import { reportFailure, type CliContext } from './io.js';
import { formatIssued, formatRecord, formatTable } from './keys-output.js';

const COMMON = {
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

const GRANT = {
  scopes: { type: 'string' },
  owner: { type: 'string' },
  'rate-limit': { type: 'string' },
  'cost-limit': { type: 'string' },
  'allow-ip': { type: 'string', multiple: true },
  'expires-in': { type: 'string' },
  'trusted-documents-only': { type: 'boolean' },
} as const satisfies OptionSpec;

type Values = Record<string, string | boolean | string[] | undefined>;

interface Subcommand {
  readonly help: string;
  readonly options: OptionSpec;
  readonly takesId: boolean;
  /** Prints the outcome; returns the exit code. */
  run(service: ApiKeyService, values: Values, id: string, ctx: CliContext, json: boolean): Promise<number>;
}

function print(ctx: CliContext, json: boolean, value: unknown, text: string): number {
  ctx.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : text);
  return 0;
}

function text(values: Values, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function scopesFrom(value: string): string[] {
  return value.split(',').map((scope) => scope.trim()).filter((scope) => scope !== '');
}

/** `--rate-limit` and `--cost-limit`: the limiter's syntax, refused with the limiter's own message (a usage error). */
function rateFrom(value: string, command: string): RateLimitPolicy | null {
  try {
    return parseKeyRateLimit(value);
  } catch (error) {
    // The usage line adds its own full stop before pointing at the help.
    if (isGatewayError(error)) throw new UsageError(error.message.replace(/\.$/, ''), command);
    throw error;
  }
}

function durationFrom(option: string, value: string, command: string, allowZero: boolean): number {
  const ms = parseDuration(value);
  if (ms === undefined || (!allowZero && ms === 0)) {
    throw new UsageError(`invalid value for --${option}: ${JSON.stringify(value)} (expected ${allowZero ? DURATION_SHAPE : DURATION_SHAPE.replace(' or "0"', '')})`, command);
  }
  return ms;
}

function integerFrom(option: string, value: string, min: number, max: number, command: string): number {
  const n = /^\d{1,4}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n >= min && n <= max)) throw new UsageError(`invalid value for --${option}: ${JSON.stringify(value)} (expected an integer from ${min} to ${max})`, command);
  return n;
}

const SUBCOMMANDS: Record<string, Subcommand> = {
  create: {
    help: KEYS_CREATE_HELP,
    options: { ...COMMON, ...GRANT, name: { type: 'string' }, test: { type: 'boolean' } },
    takesId: false,
    async run(service, values, _id, ctx, json) {
      const name = text(values, 'name');
      if (name === undefined) throw new UsageError('missing --name (what the key is for)', 'keys create');
      const scopes = text(values, 'scopes');
      const rate = text(values, 'rate-limit');
      const cost = text(values, 'cost-limit');
      const expiresIn = text(values, 'expires-in');
      const issued = await service.create({
        name,
        owner: text(values, 'owner') ?? null,
        scopes: scopes === undefined ? [] : scopesFrom(scopes),
        rateLimit: rate === undefined ? null : rateFrom(rate, 'keys create'),
        costLimit: cost === undefined ? null : rateFrom(cost, 'keys create'),
        allowedIps: (values['allow-ip'] as string[] | undefined) ?? [],
        trustedDocumentsOnly: values['trusted-documents-only'] === true,
        ...(expiresIn === undefined ? {} : { expiresInMs: durationFrom('expires-in', expiresIn, 'keys create', false) }),
        environment: values.test === true ? 'test' : 'live',
      });
      return print(ctx, json, { ...recordToJson(issued.record), key: issued.key }, formatIssued('Created', issued.key, issued.record));
    },
  },
  list: {
    help: KEYS_LIST_HELP,
    options: { ...COMMON, name: { type: 'string' }, owner: { type: 'string' }, prefix: { type: 'string' }, status: { type: 'string' }, limit: { type: 'string' } },
    takesId: false,
    async run(service, values, _id, ctx, json) {
      const status = text(values, 'status');
      if (status !== undefined && status !== 'active' && status !== 'expired' && status !== 'revoked') {
        throw new UsageError(`invalid value for --status: ${JSON.stringify(status)} (expected active, expired or revoked)`, 'keys list');
      }
      const limit = text(values, 'limit');
      const records = await service.list({
        ...(text(values, 'name') === undefined ? {} : { name: text(values, 'name') }),
        ...(text(values, 'owner') === undefined ? {} : { owner: text(values, 'owner') }),
        ...(text(values, 'prefix') === undefined ? {} : { prefix: text(values, 'prefix') }),
        ...(status === undefined ? {} : { status }),
        ...(limit === undefined ? {} : { limit: integerFrom('limit', limit, 1, 1000, 'keys list') }),
      });
      return print(ctx, json, records.map(recordToJson), formatTable(records));
    },
  },
  show: {
    help: KEYS_SHOW_HELP,
    options: { ...COMMON, days: { type: 'string' } },
    takesId: true,
    async run(service, values, id, ctx, json) {
      const days = text(values, 'days');
      const record = await service.show(id);
      const usage = await service.usage(id, days === undefined ? {} : { days: integerFrom('days', days, 1, 366, 'keys show') });
      return print(ctx, json, { ...recordToJson(record), usage }, formatRecord(record, usage));
    },
  },
  update: {
    help: KEYS_UPDATE_HELP,
    options: { ...COMMON, ...GRANT, name: { type: 'string' }, 'no-owner': { type: 'boolean' }, 'allow-any-ip': { type: 'boolean' }, 'no-expiry': { type: 'boolean' }, 'allow-any-document': { type: 'boolean' } },
    takesId: true,
    async run(service, values, id, ctx, json) {
      const command = 'keys update';
      const conflict = (a: string, b: string) => {
        if (values[a] !== undefined && values[b] !== undefined) throw new UsageError(`--${a} and --${b} cannot be used together`, command);
      };
      conflict('owner', 'no-owner');
      conflict('allow-ip', 'allow-any-ip');
      conflict('expires-in', 'no-expiry');
      conflict('trusted-documents-only', 'allow-any-document');
      const scopes = text(values, 'scopes');
      const rate = text(values, 'rate-limit');
      const cost = text(values, 'cost-limit');
      const expiresIn = text(values, 'expires-in');
      const owner = text(values, 'owner');
      const name = text(values, 'name');
      const input: UpdateKeyInput = {
        ...(name === undefined ? {} : { name }),
        ...(owner !== undefined ? { owner } : values['no-owner'] === true ? { owner: null } : {}),
        ...(scopes === undefined ? {} : { scopes: scopesFrom(scopes) }),
        ...(rate === undefined ? {} : { rateLimit: rateFrom(rate, command) }),
        ...(cost === undefined ? {} : { costLimit: rateFrom(cost, command) }),
        ...(values['allow-ip'] !== undefined ? { allowedIps: values['allow-ip'] as string[] } : values['allow-any-ip'] === true ? { allowedIps: [] } : {}),
        ...(expiresIn !== undefined ? { expiresInMs: durationFrom('expires-in', expiresIn, command, false) } : values['no-expiry'] === true ? { expiresAt: null } : {}),
        ...(values['trusted-documents-only'] === true ? { trustedDocumentsOnly: true } : values['allow-any-document'] === true ? { trustedDocumentsOnly: false } : {}),
      };
      if (Object.keys(input).length === 0) throw new UsageError('nothing to change: give at least one option', command);
      const record = await service.update(id, input);
      return print(ctx, json, recordToJson(record), `Updated API key ${record.id}.\n\n${formatRecord(record)}`);
    },
  },
  rotate: {
    help: KEYS_ROTATE_HELP,
    options: { ...COMMON, grace: { type: 'string' } },
    takesId: true,
    async run(service, values, id, ctx, json) {
      const grace = text(values, 'grace');
      const issued = await service.rotate(id, grace === undefined ? {} : { graceMs: durationFrom('grace', grace, 'keys rotate', true) });
      return print(ctx, json, { ...recordToJson(issued.record), key: issued.key }, formatIssued('Rotated', issued.key, issued.record));
    },
  },
  revoke: {
    help: KEYS_REVOKE_HELP,
    options: COMMON,
    takesId: true,
    async run(service, _values, id, ctx, json) {
      const record = await service.revoke(id);
      return print(ctx, json, recordToJson(record), `Revoked API key ${record.id} (${record.name}) at ${new Date(record.revokedAt ?? 0).toISOString()}.\n`);
    },
  },
};

/** The options and the key id (the one positional argument) of `openclaw keys <name> ...`. */
function parseCommandLine(name: string, spec: Subcommand, argv: string[]): { values: Values; id: string } {
  const command = `keys ${name}`;
  // A lenient pass finds the positional arguments; the strict pass (parseOptions) then checks
  // the options alone, with the same messages as every other command.
  const { tokens } = parseArgs({ args: argv, options: spec.options, strict: false, allowPositionals: true, tokens: true });
  const positional = new Set(tokens.filter((token) => token.kind === 'positional').map((token) => token.index));
  const values = parseOptions(command, argv.filter((_, index) => !positional.has(index)), spec.options) as Values;
  const ids = argv.filter((_, index) => positional.has(index));
  if (spec.takesId && ids.length === 0) throw new UsageError(`missing the key id (openclaw ${command} ID)`, command);
  const extra = spec.takesId ? ids[1] : ids[0];
  if (extra !== undefined) {
    const takes = spec.takesId ? 'one key id' : 'options only';
    throw new UsageError(`unexpected argument "${extra}" (openclaw ${command} takes ${takes})`, command);
  }
  return { values, id: ids[0] ?? '' };
}

/** Warnings (Redis unreachable, ...) as lines on stderr; the command still does its work. */
function warningLogger(ctx: CliContext): Logger {
  const warn = (message: string, fields?: Record<string, unknown>) =>
    ctx.stderr.write(`warning: ${message}${fields?.error === undefined ? '' : ` (${String(fields.error)})`}\n`);
  const ignore = () => undefined;
  return { debug: ignore, info: ignore, warn, error: warn };
}

/**
 * Runs `openclaw keys ...` with the arguments after `keys`. Resolves with 0 on success, 1 on a
 * run-time error (printed as `error[CODE]: message`, or as JSON with `--json`); throws
 * `UsageError` for bad arguments.
 */
export async function runKeys(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? ctx.stderr : ctx.stdout).write(KEYS_HELP);
    return name === undefined ? 2 : 0;
  }
  const spec = SUBCOMMANDS[name];
  if (spec === undefined) {
    const suggestion = suggestClosest(name, Object.keys(SUBCOMMANDS));
    throw new UsageError(`unknown keys command "${name}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`, 'keys');
  }
  if (wantsHelp(rest)) {
    ctx.stdout.write(spec.help);
    return 0;
  }
  const { values, id } = parseCommandLine(name, spec, rest);
  const json = values.json === true;
  try {
    const config = await loadConfig({ file: text(values, 'config'), cwd: ctx.cwd, env: ctx.env, checkPaths: false });
    const { openKeyManagement } = await import('../auth/api-keys/services.js');
    const keys = await openKeyManagement(config, { logger: warningLogger(ctx) });
    try {
      return await spec.run(keys.service, values, id, ctx, json);
    } finally {
      await keys.close();
    }
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return reportFailure(error, ctx, json);
  }
}
