/**
 * How a source declared in the schema (`@source(name:)`) finds its settings in the resolved
 * config, and how its name maps to `OPENCLAW_SOURCE_<NAME>_*` variables.
 */
import { GatewayError } from '../errors/index.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import type { ResolvedConfig, ResolvedSourceConfig, SourceSettings } from './types.js';

/**
 * The `<NAME>` of a source's environment variables: the name upper-cased, every character
 * other than A-Z and 0-9 replaced by `_` (`my-api` -> `MY_API`).
 */
export function sourceEnvName(name: string): string {
  return name.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

function findSourceConfig(config: Pick<ResolvedConfig, 'sources'>, name: string): ResolvedSourceConfig | undefined {
  const exact = config.sources[name];
  if (exact) return exact;
  // A source first named in the environment is stored lower-cased (`OPENCLAW_SOURCE_MYAPI_URL`
  // -> `myapi`), so fall back to the entry whose variable name matches.
  const envName = sourceEnvName(name);
  const match = Object.keys(config.sources).find((key) => sourceEnvName(key) === envName);
  return match === undefined ? undefined : config.sources[match];
}

/**
 * The settings a source adapter is built with: `sources.<name>` from the config (matched
 * exactly, else by its environment name), over the URL the `@source` declares, over the
 * defaults. Throws `CONFIG_INVALID` naming the key and the variable when no URL is known.
 */
export function settingsForSource(config: Pick<ResolvedConfig, 'sources'>, definition: { name: string; url?: string }): SourceSettings {
  const configured = findSourceConfig(config, definition.name);
  const url = configured?.url ?? definition.url;
  if (url === undefined) {
    const key = `sources.${definition.name}.url`;
    throw new GatewayError(
      'CONFIG_INVALID',
      `Invalid config: source "${definition.name}" has no URL; set "${key}" in the config file, ` +
        `OPENCLAW_SOURCE_${sourceEnvName(definition.name)}_URL, or url: in its @source.`,
    );
  }
  return {
    url,
    timeoutMs: configured?.timeoutMs ?? CONFIG_DEFAULTS.source.timeoutMs,
    headers: { ...configured?.headers },
  };
}
