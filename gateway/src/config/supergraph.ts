/**
 * Supergraph mode's settings rule. A supergraph names each subgraph and its URL
 * (`enum join__Graph { ACCOUNTS @join__graph(name: "accounts", url: "...") }`); those URLs are
 * authoritative. Config changes a subgraph's settings only where it names that subgraph on
 * purpose: an `OPENCLAW_SOURCE_<NAME>_*` variable, or `sources.<name>` in a config file that
 * itself sets `supergraph`. (`resolveConfig` has already left out the `sources` of a
 * schema-mode file when the supergraph comes from `--supergraph` or the environment.) Whatever
 * applies must fit: an entry that names no subgraph, or a URL that is not http(s), is an error
 * that says so. Documented in docs/config.md, "Supergraph mode".
 */
import { Kind, parse, type ConstDirectiveNode, type DocumentNode } from 'graphql';
import { GatewayError } from '../errors/index.js';
import type { SourceSettings } from './types.js';
import { CONFIG_DEFAULTS } from './defaults.js';
import { configError, formatPath, type ConfigProblem } from './issues.js';
import { sourceEnvName } from './sources.js';
import { suggestClosest } from './suggest.js';
import type { ResolvedConfig, ResolvedSourceConfig } from './types.js';

/** One subgraph as the supergraph declares it. */
export interface SupergraphSubgraph {
  /** The `join__Graph` enum value (`ACCOUNTS`): the subschema's name in the stitched graph. */
  graph: string;
  /** `@join__graph(name:)` (`accounts`); the enum value lower-cased when it has none. */
  name: string;
  /** `@join__graph(url:)`, when it has one. */
  url?: string;
}

function stringArgument(directive: ConstDirectiveNode, name: string): string | undefined {
  const value = directive.arguments?.find((argument) => argument.name.value === name)?.value;
  return value?.kind === Kind.STRING ? value.value : undefined;
}

/**
 * The subgraphs of a supergraph SDL, from its `join__Graph` enum, in declaration order.
 * Throws `SCHEMA_INVALID` when the SDL does not parse or declares no subgraph.
 */
export function supergraphSubgraphs(sdl: string | DocumentNode, file: string): SupergraphSubgraph[] {
  let document: DocumentNode;
  try {
    document = typeof sdl === 'string' ? parse(sdl, { noLocation: true }) : sdl;
  } catch (error) {
    throw new GatewayError('SCHEMA_INVALID', `The supergraph ${file} is not valid: ${(error as Error).message}`);
  }
  const subgraphs: SupergraphSubgraph[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.ENUM_TYPE_DEFINITION || definition.name.value !== 'join__Graph') continue;
    for (const value of definition.values ?? []) {
      const directive = value.directives?.find((candidate) => candidate.name.value === 'join__graph');
      const graph = value.name.value;
      const url = directive === undefined ? undefined : stringArgument(directive, 'url');
      const name = (directive === undefined ? undefined : stringArgument(directive, 'name')) ?? graph.toLowerCase();
      subgraphs.push({ graph, name, ...(url === undefined ? {} : { url }) });
    }
  }
  if (subgraphs.length === 0) {
    throw new GatewayError('SCHEMA_INVALID', `The supergraph ${file} is not valid: it declares no subgraph (no enum join__Graph with @join__graph values).`);
  }
  return subgraphs;
}

/** True for an absolute http or https URL with a host: what a federation subgraph is reached at. */
export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** The subgraph an entry of `sources` means: same name, or same `OPENCLAW_SOURCE_<NAME>` form. */
function subgraphFor(key: string, subgraphs: readonly SupergraphSubgraph[]): SupergraphSubgraph | undefined {
  const envName = sourceEnvName(key);
  return (
    subgraphs.find((subgraph) => subgraph.name === key) ??
    subgraphs.find((subgraph) => sourceEnvName(subgraph.name) === envName || subgraph.graph === envName)
  );
}

/** `"sources.x"` for a key, a variable's name as it is. */
function label(setting: string): string {
  return setting.startsWith('OPENCLAW_') ? setting : `"${setting}"`;
}

function scopeOf(setting: string): ConfigProblem['scope'] {
  return setting.startsWith('OPENCLAW_') ? 'environment' : 'config';
}

function originOf(key: string, entry: ResolvedSourceConfig): { entry: string; url: string } {
  return { entry: entry.origin?.entry ?? formatPath(['sources', key]), url: entry.origin?.url ?? formatPath(['sources', key, 'url']) };
}

/**
 * The settings each subgraph of the supergraph `file` runs with, keyed by its `join__Graph`
 * value: its own URL, unless an entry of `config.sources` names it (exactly, or by the
 * `OPENCLAW_SOURCE_<NAME>` form of its name); timeout and headers from that entry, else the
 * defaults. Throws one `CONFIG_INVALID` error listing every entry that names no subgraph (or
 * a subgraph another entry names too), every URL that is not http(s), each named by the key or
 * variable that set it, and every subgraph left with no http(s) URL at all.
 */
export function supergraphSourceSettings(
  config: Pick<ResolvedConfig, 'sources'>,
  subgraphs: readonly SupergraphSubgraph[],
  file: string,
): Map<string, SourceSettings> {
  const problems: ConfigProblem[] = [];
  const applied = new Map<string, { key: string; entry: ResolvedSourceConfig }>();
  const names = subgraphs.map((subgraph) => subgraph.name);
  for (const [key, entry] of Object.entries(config.sources)) {
    const origin = originOf(key, entry);
    const subgraph = subgraphFor(key, subgraphs);
    const other = subgraph === undefined ? undefined : applied.get(subgraph.graph);
    if (subgraph === undefined) {
      const suggestion = suggestClosest(key, names);
      const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
      problems.push({
        scope: scopeOf(origin.entry),
        text: `${label(origin.entry)} names no subgraph of the supergraph ${file}${hint}; its subgraphs are ${names.join(', ')}.`,
      });
    } else if (other !== undefined) {
      problems.push({
        scope: scopeOf(origin.entry),
        text: `${label(origin.entry)} and ${label(originOf(other.key, other.entry).entry)} both name the subgraph "${subgraph.name}"; keep one.`,
      });
    } else if (entry.url !== undefined && !isHttpUrl(entry.url)) {
      problems.push({
        scope: scopeOf(origin.url),
        text: `${label(origin.url)} must be an http or https URL, since "${subgraph.name}" is a federation subgraph of the supergraph ${file}; received ${JSON.stringify(entry.url)}.`,
      });
    } else {
      applied.set(subgraph.graph, { key, entry });
    }
  }
  const settings = new Map<string, SourceSettings>();
  for (const subgraph of subgraphs) {
    const entry = applied.get(subgraph.graph)?.entry;
    const url = entry?.url ?? subgraph.url;
    if (url === undefined || !isHttpUrl(url)) {
      const found = url === undefined ? 'no URL' : `the URL ${JSON.stringify(url)}, not an http(s) URL,`;
      problems.push({
        scope: 'config',
        text:
          `the subgraph "${subgraph.name}" has ${found} in the supergraph ${file}; set ` +
          `OPENCLAW_SOURCE_${sourceEnvName(subgraph.name)}_URL (or "sources.${subgraph.name}.url" in a config file that sets "supergraph").`,
      });
      continue;
    }
    settings.set(subgraph.graph, { url, timeoutMs: entry?.timeoutMs ?? CONFIG_DEFAULTS.source.timeoutMs, headers: { ...entry?.headers } });
  }
  if (problems.length > 0) throw configError(problems);
  return settings;
}
