/**
 * `openclaw check`: load the config, compose the graph as `start` would, print the public SDL
 * (or a JSON summary), close everything and exit.
 */
import { loadConfig, settingsForSource, type ConfigOverrides, type ResolvedConfig } from '../config/index.js';
import { parseOptions, wantsHelp, type OptionSpec } from './args.js';
import { CHECK_HELP } from './help.js';
import { reportFailure, type CliContext } from './io.js';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  supergraph: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

/** The URL a source is reached at: its own when the runtime exposes one, else from config. */
function sourceUrl(config: ResolvedConfig, source: { name: string }): string | null {
  if ('url' in source && typeof source.url === 'string') return source.url;
  try {
    return settingsForSource(config, { name: source.name }).url;
  } catch {
    return null;
  }
}

/**
 * Runs `openclaw check` with the arguments after the command name. Resolves with 0 when the
 * config and schema are valid (after printing the SDL or, with `--json`, the summary), 1 when
 * not. Throws `UsageError` for bad arguments.
 */
export async function runCheck(argv: string[], ctx: CliContext): Promise<number> {
  if (wantsHelp(argv)) {
    ctx.stdout.write(CHECK_HELP);
    return 0;
  }
  const values = parseOptions('check', argv, OPTIONS);
  const json = values.json === true;
  const overrides: ConfigOverrides = values.supergraph === undefined ? {} : { supergraph: values.supergraph };
  try {
    const config = await loadConfig({ file: values.config, cwd: ctx.cwd, env: ctx.env, overrides });
    // Loaded on demand: `--help` and bad usage do not pay for compose's imports.
    const { composeGateway } = await import('../compose/index.js');
    const composed = await composeGateway(config);
    try {
      if (json) {
        const sources = composed.sources.map((source) => ({ name: source.name, kind: source.kind, url: sourceUrl(config, source) }));
        ctx.stdout.write(`${JSON.stringify({ ok: true, sources, sdl: composed.publicSdl }, null, 2)}\n`);
      } else {
        ctx.stdout.write(composed.publicSdl.endsWith('\n') ? composed.publicSdl : `${composed.publicSdl}\n`);
      }
    } finally {
      await composed.close();
    }
    return 0;
  } catch (error) {
    return reportFailure(error, ctx, json);
  }
}
