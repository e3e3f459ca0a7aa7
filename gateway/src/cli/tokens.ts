/**
 * `openclaw tokens revoke JTI --expires-at TIME | --expires-in DURATION`: revokes a bearer
 * token by its `jti` on every running gateway. Gateways share their revocation list through
 * Redis (`store.redisUrl`), so the command writes the revocation there and announces it on the
 * list's channel, as a gateway's admin API does. Without Redis each gateway keeps its own list
 * in memory, which no other process can reach: the command says so and points at the admin API.
 */
import { parseArgs } from 'node:util';
// Only the light modules statically: `--help` and bad usage do not pay for Redis's driver.
import { parseRevocation, RevocationInputError } from '../auth/tokens/revoke-input.js';
import { loadConfig, suggestClosest } from '../config/index.js';
import { GatewayError } from '../errors/index.js';
import { parseOptions, UsageError, wantsHelp, type OptionSpec } from './args.js';
import { TOKENS_HELP, TOKENS_REVOKE_HELP } from './help.js';
import { reportFailure, type CliContext } from './io.js';

const REVOKE_OPTIONS = {
  'expires-at': { type: 'string' },
  'expires-in': { type: 'string' },
  config: { type: 'string', short: 'c' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

const COMMAND = 'tokens revoke';
const OPTION_NAMES = { jti: 'JTI', expiresAt: '--expires-at', expiresIn: '--expires-in' };

/** What the command says when the gateways share no Redis. */
export const NO_REDIS_MESSAGE =
  'openclaw tokens revoke reaches running gateways through Redis, and none is configured (store.redisUrl or OPENCLAW_REDIS_URL). '
  + 'Without Redis each gateway keeps its revocations in its own memory: revoke the token on every gateway instance through its admin API '
  + '(POST /admin/graphql with the admin token: mutation { revokeToken(jti: "...", expiresAt: "...") { jti expiresAt reach } }).';

/** The options and the jti (the one positional argument) of `openclaw tokens revoke ...`. */
function parseCommandLine(argv: string[]): { values: ReturnType<typeof parseOptions<typeof REVOKE_OPTIONS>>; jti: string } {
  const { tokens } = parseArgs({ args: argv, options: REVOKE_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const positional = new Set(tokens.filter((token) => token.kind === 'positional').map((token) => token.index));
  let values;
  try {
    values = parseOptions(COMMAND, argv.filter((_, index) => !positional.has(index)), REVOKE_OPTIONS);
  } catch (error) {
    // Random jtis often start with "-" (base64url), which reads as an option.
    if (error instanceof UsageError && error.message.startsWith('unknown option "-') && !error.message.startsWith('unknown option "--')) {
      throw new UsageError(`${error.message} (a jti starting with "-" goes after "--": openclaw tokens revoke --expires-in 1h -- -JTI)`, COMMAND);
    }
    throw error;
  }
  const ids = argv.filter((_, index) => positional.has(index));
  if (ids[0] === undefined) throw new UsageError('missing the token\'s jti (openclaw tokens revoke JTI --expires-at TIME)', COMMAND);
  if (ids[1] !== undefined) throw new UsageError(`unexpected argument "${ids[1]}" (openclaw tokens revoke takes one jti)`, COMMAND);
  return { values, jti: ids[0] };
}

async function revoke(argv: string[], ctx: CliContext): Promise<number> {
  const { values, jti } = parseCommandLine(argv);
  const json = values.json === true;
  let revocation;
  try {
    revocation = parseRevocation({ jti, expiresAt: values['expires-at'], expiresIn: values['expires-in'] }, Date.now(), OPTION_NAMES);
  } catch (error) {
    if (!(error instanceof RevocationInputError)) throw error;
    throw new UsageError(error.message.replace(/\.$/, ''), COMMAND);
  }
  try {
    const config = await loadConfig({ file: values.config, cwd: ctx.cwd, env: ctx.env, checkPaths: false });
    const { redisUrl, redisPrefix } = config.store;
    if (redisUrl === undefined) throw new GatewayError('CONFIG_INVALID', NO_REDIS_MESSAGE);
    const { closeRedis, createRedisConnection, waitForRedis } = await import('../store/redis.js');
    const { publishRevocation, TOKENS_REDIS_NAMESPACE } = await import('../auth/tokens/revocation-redis.js');
    const redis = createRedisConnection(redisUrl, { name: 'cli' });
    let listening: number;
    try {
      await waitForRedis(redis, redisUrl);
      listening = await publishRevocation(redis, `${redisPrefix}${TOKENS_REDIS_NAMESPACE}`, revocation.jti, revocation.expiresAt, Date.now());
    } finally {
      await closeRedis(redis);
    }
    const expiresAt = new Date(revocation.expiresAt * 1000).toISOString();
    if (json) {
      ctx.stdout.write(`${JSON.stringify({ ok: true, jti: revocation.jti, expiresAt, instancesNotified: listening }, null, 2)}\n`);
    } else {
      ctx.stdout.write(
        `Revoked token ${revocation.jti} until ${expiresAt}.\n`
        + `${listening} running gateway instance${listening === 1 ? '' : 's'} ${listening === 1 ? 'was' : 'were'} notified and refuse${listening === 1 ? 's' : ''} it now; `
        + 'instances started later load it from Redis.\n',
      );
    }
    return 0;
  } catch (error) {
    return reportFailure(error, ctx, json);
  }
}

const SUBCOMMANDS: Record<string, { help: string; run(argv: string[], ctx: CliContext): Promise<number> }> = {
  revoke: { help: TOKENS_REVOKE_HELP, run: revoke },
};

/**
 * Runs `openclaw tokens ...` with the arguments after `tokens`. Resolves with 0 on success, 1
 * on a run-time error (no Redis configured, Redis unreachable: `error[CODE]: message`, or JSON
 * with `--json`); throws `UsageError` for bad arguments.
 */
export async function runTokens(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    (name === undefined ? ctx.stderr : ctx.stdout).write(TOKENS_HELP);
    return name === undefined ? 2 : 0;
  }
  const spec = SUBCOMMANDS[name];
  if (spec === undefined) {
    const suggestion = suggestClosest(name, Object.keys(SUBCOMMANDS));
    throw new UsageError(`unknown tokens command "${name}"${suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`}`, 'tokens');
  }
  if (wantsHelp(rest)) {
    ctx.stdout.write(spec.help);
    return 0;
  }
  return spec.run(rest, ctx);
}
