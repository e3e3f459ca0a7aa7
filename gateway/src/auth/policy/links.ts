/**
 * What a schema calls its auth directives. OpenClaw's own (`@apiKey`, `@authenticated`,
 * `@requiresScope`, `@requiresClaim`) go by their names; Apollo Federation's come through
 * `@link` (the link spec), which may rename them:
 *
 * - a federation subgraph imports them from its federation link
 *   (`@link(url: ".../federation/v2.5", import: [{ name: "@authenticated", as: "@loggedIn" }])`),
 *   and one it does not import is `@federation__authenticated` (or `@<as>__authenticated`);
 * - a supergraph links each feature on its own (`@link(url: ".../requiresScopes/v0.1",
 *   for: SECURITY, import: [...])`), its eponymous directive `@requiresScopes` or the link's `as`.
 *
 * A subgraph and a supergraph are read by the same rules, in `schema/` mode and in
 * `--supergraph` mode alike, and so is the refusal the link spec asks for: a feature linked
 * `for: SECURITY` that the gateway does not enforce (`@policy`, say) stops start-up, since
 * serving the graph would leave the fields it protects open. (`@inaccessible` is enforced by
 * the API schema: its elements are not in the public graph.)
 */
import { Kind, type ConstDirectiveNode, type ConstValueNode, type DefinitionNode } from 'graphql';
import { GatewayError } from '../../errors/index.js';

/** The auth directives the gateway knows, by the name their definition has. */
export type AuthDirective = 'apiKey' | 'authenticated' | 'requiresScope' | 'requiresScopes' | 'requiresClaim' | 'policy';

/** Local directive name -> the auth directive it is. */
export type AuthDirectiveNames = ReadonlyMap<string, AuthDirective>;

/** The auth directives of each linkable feature, by the feature's name in its spec URL. */
const FEATURES: Readonly<Record<string, readonly AuthDirective[]>> = {
  federation: ['authenticated', 'requiresScopes', 'policy'],
  authenticated: ['authenticated'],
  requiresScopes: ['requiresScopes'],
  policy: ['policy'],
};

/** SECURITY features the gateway enforces (`inaccessible` through the API schema). */
const ENFORCED = new Set(['authenticated', 'requiresScopes', 'inaccessible']);

/** OpenClaw's directives and federation's unlinked plain names (as The Guild's composition writes them). */
const PLAIN: ReadonlyArray<readonly [string, AuthDirective]> = [
  ['apiKey', 'apiKey'],
  ['authenticated', 'authenticated'],
  ['requiresScope', 'requiresScope'],
  ['requiresClaim', 'requiresClaim'],
  ['requiresScopes', 'requiresScopes'],
];

const APOLLO_SPEC = /^https:\/\/specs\.apollo\.dev\/([A-Za-z_][A-Za-z0-9_-]*)\/v\d+\.\d+$/;

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((arg) => arg.name.value === name)?.value;
}

const text = (value: ConstValueNode | undefined): string | undefined => (value?.kind === Kind.STRING ? value.value : undefined);

/** The `@link`s of `definitions`' schema definitions and extensions. */
function links(definitions: readonly DefinitionNode[]): ConstDirectiveNode[] {
  return definitions.flatMap((definition) =>
    definition.kind === Kind.SCHEMA_DEFINITION || definition.kind === Kind.SCHEMA_EXTENSION
      ? (definition.directives ?? []).filter((directive) => directive.name.value === 'link')
      : []);
}

/** `import:` entries of a link: element name (without `@`) -> local name. */
function imports(link: ConstDirectiveNode): Map<string, string> {
  const found = new Map<string, string>();
  const list = argument(link, 'import');
  for (const entry of list?.kind === Kind.LIST ? list.values : []) {
    if (entry.kind === Kind.STRING) found.set(entry.value.replace(/^@/, ''), entry.value.replace(/^@/, ''));
    if (entry.kind !== Kind.OBJECT) continue;
    const field = (key: string) => text(entry.fields.find((candidate) => candidate.name.value === key)?.value);
    const name = field('name');
    if (name !== undefined) found.set(name.replace(/^@/, ''), (field('as') ?? name).replace(/^@/, ''));
  }
  return found;
}

/**
 * The names `definitions` (a source's SDL, a subgraph's, a supergraph) give the auth
 * directives. `label` says in errors where the SDL came from. Throws `SCHEMA_INVALID` for a
 * feature linked `for: SECURITY` that the gateway does not enforce.
 */
export function authDirectiveNames(definitions: readonly DefinitionNode[], label: string): AuthDirectiveNames {
  const linked = new Map<string, AuthDirective>();
  for (const link of links(definitions)) {
    const url = text(argument(link, 'url'));
    const feature = url === undefined ? undefined : APOLLO_SPEC.exec(url)?.[1];
    const purpose = argument(link, 'for');
    if (purpose?.kind === Kind.ENUM && purpose.value === 'SECURITY' && (feature === undefined || !ENFORCED.has(feature))) {
      throw new GatewayError('SCHEMA_INVALID', `${label}: links the SECURITY feature ${url ?? 'without a url'}, which OpenClaw does not enforce; serving it would leave the fields it protects open. OpenClaw enforces @authenticated and @requiresScopes (and its own @apiKey, @requiresScope, @requiresClaim).`);
    }
    const elements = feature === undefined ? undefined : FEATURES[feature];
    if (feature === undefined || elements === undefined) continue;
    const prefix = text(argument(link, 'as')) ?? feature;
    const imported = imports(link);
    for (const element of elements) {
      linked.set(element === feature ? prefix : `${prefix}__${element}`, element);
      const local = imported.get(element);
      if (local !== undefined) linked.set(local, element);
    }
  }
  const names = new Map<string, AuthDirective>(PLAIN.filter(([local]) => !linked.has(local)));
  for (const [local, directive] of linked) names.set(local, directive);
  return names;
}
