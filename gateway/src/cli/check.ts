/**
 * `openclaw check`: load the config, compose the graph and build its engine as `start` would, print the public SDL
 * (or a JSON summary), close everything and exit.
 */
import { loadConfig, type ConfigOverrides } from '../config/index.js';
import { parseOptions, wantsHelp, type OptionSpec } from './args.js';
import { CHECK_HELP } from './help.js';
import { reportFailure, type CliContext } from './io.js';
import { ignoredSourcesNote } from './notes.js';

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  supergraph: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies OptionSpec;

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
    const note = ignoredSourcesNote(config);
    if (note !== undefined) ctx.stderr.write(`note: ${note}\n`);
    // Loaded on demand: `--help` and bad usage do not pay for compose's imports.
    const { composeGateway } = await import('../compose/index.js');
    const composed = await composeGateway(config);
    try {
      // The engine too, as `start` builds it: a supergraph the query planner refuses fails here.
      const { createEngine } = await import('../execute/create.js');
      createEngine(config.engine, composed);
      if (json) {
        const sources = composed.sources.map((source) => ({ name: source.name, kind: source.kind, url: source.url }));
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
