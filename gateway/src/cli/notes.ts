/**
 * Notes the CLI gives about the config it runs with: what the config says that does not apply.
 */
import type { ResolvedConfig } from '../config/index.js';

/**
 * The note for a config file whose `sources` were left out because a supergraph is served from
 * `--supergraph` or `OPENCLAW_SUPERGRAPH` and the file sets no `supergraph` of its own
 * (docs/config.md, "Supergraph mode"); `undefined` when nothing was left out.
 */
export function ignoredSourcesNote(config: Pick<ResolvedConfig, 'ignoredSources' | 'configFile' | 'supergraph'>): string | undefined {
  if (config.ignoredSources.length === 0) return undefined;
  const keys = config.ignoredSources.map((name) => `sources.${name}`).join(', ');
  return (
    `The supergraph's own subgraph URLs are served; ${keys} of ${config.configFile ?? 'the config'} ` +
    'do not apply, as that file sets no "supergraph" (its sources are its schema\'s). ' +
    'To point a subgraph elsewhere, set OPENCLAW_SOURCE_<NAME>_URL.'
  );
}
