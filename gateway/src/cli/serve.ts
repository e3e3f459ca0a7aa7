/**
 * What `start` does once its arguments are parsed, in a single process or in each worker:
 * load the config, build the logger it asks for, start the gateway.
 */
import { loadConfig, type ConfigOverrides, type ResolvedConfig } from '../config/index.js';
import type { RunningGateway } from '../server/start.js';
import { createLogger, type Logger } from '../telemetry/logger.js';
import type { CliContext } from './io.js';
import { ignoredSourcesNote } from './notes.js';

/** What `start` was asked for, as the config loader takes it. */
export interface StartSettings {
  /** `--config`. */
  file?: string;
  overrides: ConfigOverrides;
}

/** A gateway started from the config, with the config and the logger it runs with. */
export interface StartedGateway {
  gateway: RunningGateway;
  config: ResolvedConfig;
  logger: Logger;
}

/** The line `start` prints once the gateway listens (tools wait for it), with the admin URL when it has a listener of its own. */
export function readyLine(url: string, config: ResolvedConfig, adminUrl?: string): string {
  const graphiql = config.server.graphiql ? ' (GraphiQL: open it in a browser)' : '';
  const admin = adminUrl === undefined ? '' : `; admin API at ${adminUrl}`;
  return `OpenClaw Gateway ready at ${url}${graphiql}${admin}\n`;
}

/** Loads the config with `settings`, the logger it asks for (with `fields` on every record). */
export async function loadForStart(settings: StartSettings, ctx: CliContext, fields: Record<string, unknown> = {}): Promise<{ config: ResolvedConfig; logger: Logger }> {
  const config = await loadConfig({ file: settings.file, cwd: ctx.cwd, env: ctx.env, overrides: settings.overrides });
  const logger = createLogger({ ...config.logging, destination: ctx.stderr, fields });
  return { config, logger };
}

/**
 * Loads the config and starts the gateway. Writes the config's notes (sources it leaves out)
 * to the log unless `quiet` (a worker: its primary wrote them once).
 */
export async function startFromConfig(
  settings: StartSettings,
  ctx: CliContext,
  options: { fields?: Record<string, unknown>; quiet?: boolean } = {},
): Promise<StartedGateway> {
  const { config, logger } = await loadForStart(settings, ctx, options.fields);
  const note = ignoredSourcesNote(config);
  if (note !== undefined && options.quiet !== true) logger.warn(note, { ignored: config.ignoredSources });
  // Loaded on demand: `--help` and bad usage do not pay for the server's imports.
  const { startGateway } = await import('../server/start.js');
  return { gateway: await startGateway(config, { logger }), config, logger };
}

