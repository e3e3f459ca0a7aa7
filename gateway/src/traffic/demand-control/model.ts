/**
 * The cost model: what the graph's `@cost` and `@listSize` directives say, by schema
 * coordinate, read once at compose from the sources' schemas (`schema/` mode) or from a
 * federation supergraph (its `@link` to the cost spec may rename them). Directive arguments
 * are coerced as GraphQL coerces them; a bad one is `SCHEMA_INVALID` at start-up, naming the
 * coordinate. A field of an object that implements an interface takes the interface field's
 * `@cost` / `@listSize` when it declares none itself, whichever way it is reached.
 */
import {
  buildASTSchema,
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  Kind,
  parse,
  type ConstDirectiveNode,
  type ConstValueNode,
  type DocumentNode,
  type GraphQLDirective,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import { COST_DIRECTIVES_SDL } from '../../directives/index.js';
import { GatewayError } from '../../errors/index.js';

/** What `@listSize` says of one field. */
export interface ListSizeRule {
  readonly assumedSize: number | undefined;
  /** Argument paths (`first`, `page.size`) whose value is the list's length. */
  readonly slicingArguments: readonly string[];
  /** Fields of the returned type the size applies to (a connection's `edges`), instead of the field. */
  readonly sizedFields: readonly string[];
  readonly requireOneSlicingArgument: boolean;
}

/** The graph's cost directives, by schema coordinate. */
export interface CostModel {
  /**
   * `@cost` weights: of a field or input field (`Type.field`), of a type (`Type`), of an
   * argument (`Type.field(arg:)`).
   */
  readonly weights: ReadonlyMap<string, number>;
  /** `@listSize` by field coordinate. */
  readonly listSizes: ReadonlyMap<string, ListSizeRule>;
}

/** A model with no directive: every weight is the default. */
export const EMPTY_COST_MODEL: CostModel = { weights: new Map(), listSizes: new Map() };

const DEFINITIONS = buildASTSchema(parse(COST_DIRECTIVES_SDL), { assumeValidSDL: true });
const COST = DEFINITIONS.getDirective('cost') as GraphQLDirective;
const LIST_SIZE = DEFINITIONS.getDirective('listSize') as GraphQLDirective;

/** Collects entries, checking each directive's arguments; `where` names the origin in messages. */
class ModelBuilder {
  readonly weights = new Map<string, number>();
  readonly listSizes = new Map<string, ListSizeRule>();

  /** `names`: local directive name -> `cost` | `listSize`. */
  constructor(private readonly names: ReadonlyMap<string, 'cost' | 'listSize'>, private readonly where: string) {}

  read(coordinate: string, directives: readonly ConstDirectiveNode[] | undefined): void {
    for (const node of directives ?? []) {
      const kind = this.names.get(node.name.value);
      if (kind === undefined) continue;
      const args = this.coerce(kind === 'cost' ? COST : LIST_SIZE, node, coordinate);
      if (kind === 'cost') {
        const weight = args.weight as number;
        if (weight < 0) this.fail(coordinate, node, `weight must be >= 0; received ${weight}`);
        this.weights.set(coordinate, weight);
        continue;
      }
      const assumedSize = args.assumedSize as number | null | undefined;
      if (typeof assumedSize === 'number' && assumedSize < 0) this.fail(coordinate, node, `assumedSize must be >= 0; received ${assumedSize}`);
      this.listSizes.set(coordinate, {
        assumedSize: assumedSize ?? undefined,
        slicingArguments: (args.slicingArguments as string[] | null | undefined) ?? [],
        sizedFields: (args.sizedFields as string[] | null | undefined) ?? [],
        requireOneSlicingArgument: args.requireOneSlicingArgument !== false,
      });
    }
  }

  private coerce(definition: GraphQLDirective, node: ConstDirectiveNode, coordinate: string): Record<string, unknown> {
    // getArgumentValues matches by the definition's argument names; the local name may differ.
    try {
      return getArgumentValues(definition, { ...node, name: { kind: Kind.NAME, value: definition.name } });
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      return this.fail(coordinate, node, error.message);
    }
  }

  fail(coordinate: string, node: ConstDirectiveNode, why: string): never {
    throw new GatewayError('SCHEMA_INVALID', `@${node.name.value} on ${coordinate} (${this.where}) is not valid: ${why}`);
  }
}

const DIRECT_NAMES: ReadonlyMap<string, 'cost' | 'listSize'> = new Map([
  ['cost', 'cost'],
  ['listSize', 'listSize'],
  ['federation__cost', 'cost'],
  ['federation__listSize', 'listSize'],
]);

function readSchema(builder: ModelBuilder, schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isObjectType(type) || isScalarType(type) || isEnumType(type)) {
      builder.read(type.name, [type.astNode, ...type.extensionASTNodes].flatMap((node) => node?.directives ?? []));
    }
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        builder.read(coordinate, field.astNode?.directives);
        for (const arg of field.args) builder.read(`${coordinate}(${arg.name}:)`, arg.astNode?.directives);
      }
    }
    if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) builder.read(`${type.name}.${field.name}`, field.astNode?.directives);
    }
  }
}

/** A source as the model reads it: a federation subgraph's SDL says, by its `@link`, what its directives are called. */
interface CostSource {
  readonly name: string;
  readonly schema: GraphQLSchema;
  readonly subgraphSdl?: DocumentNode;
}

/** The model of `schema/` mode: the cost directives of each source's schema, checked against the public graph. */
export function costModelFromSources(sources: readonly CostSource[], graph: GraphQLSchema): CostModel {
  const weights = new Map<string, number>();
  const listSizes = new Map<string, ListSizeRule>();
  for (const source of sources) {
    const names = source.subgraphSdl === undefined ? DIRECT_NAMES : linkedCostNames(source.subgraphSdl);
    const builder = new ModelBuilder(names, `source "${source.name}"`);
    readSchema(builder, source.schema);
    for (const [key, value] of builder.weights) weights.set(key, Math.max(value, weights.get(key) ?? 0));
    for (const [key, value] of builder.listSizes) listSizes.set(key, value);
  }
  return finish(weights, listSizes, graph);
}

function argument(directive: ConstDirectiveNode, name: string): ConstValueNode | undefined {
  return directive.arguments?.find((arg) => arg.name.value === name)?.value;
}

/** The cost spec (a supergraph links it) and the federation spec (a subgraph imports `@cost` from it), any version. */
const COST_FEATURE = /^https:\/\/specs\.apollo\.dev\/(cost|federation)\/v\d+\.\d+$/;

/**
 * Local directive name -> the cost directive it is, from the document's `@link`s: to the cost
 * spec (a supergraph's), whose own `@cost` goes by the link's `as` (else `cost`) and
 * `@listSize` by `cost__listSize`; or to the federation spec (a subgraph's), namespaced
 * `federation__cost`. An import goes by its `as`, else its name. Without such a link the
 * plain and `federation__` names are read.
 */
function linkedCostNames(document: DocumentNode): ReadonlyMap<string, 'cost' | 'listSize'> {
  const names = new Map<string, 'cost' | 'listSize'>();
  let linked = false;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      const url = link.name.value === 'link' ? argument(link, 'url') : undefined;
      const feature = url?.kind === Kind.STRING ? COST_FEATURE.exec(url.value)?.[1] : undefined;
      if (feature === undefined) continue;
      linked = true;
      const as = argument(link, 'as');
      const namespace = as?.kind === Kind.STRING ? as.value : feature;
      if (feature === 'cost') names.set(namespace, 'cost');
      else names.set(`${namespace}__cost`, 'cost');
      names.set(`${namespace}__listSize`, 'listSize');
      const imports = argument(link, 'import');
      for (const entry of imports?.kind === Kind.LIST ? imports.values : []) {
        const field = (key: string) => (entry.kind === Kind.OBJECT ? entry.fields.find((candidate) => candidate.name.value === key)?.value : undefined);
        const name = entry.kind === Kind.STRING ? entry : field('name');
        const alias = entry.kind === Kind.STRING ? entry : (field('as') ?? name);
        if (name?.kind !== Kind.STRING || alias?.kind !== Kind.STRING) continue;
        const kind = name.value === '@cost' ? 'cost' : name.value === '@listSize' ? 'listSize' : undefined;
        if (kind !== undefined) names.set(alias.value.replace(/^@/, ''), kind);
      }
    }
  }
  return linked ? names : DIRECT_NAMES;
}

/** The model of `--supergraph` mode: the supergraph's cost directives, under its `@link` names. */
export function costModelFromSupergraph(document: DocumentNode, graph: GraphQLSchema): CostModel {
  const builder = new ModelBuilder(linkedCostNames(document), 'the supergraph');
  for (const definition of document.definitions) {
    switch (definition.kind) {
      case Kind.SCALAR_TYPE_DEFINITION:
      case Kind.SCALAR_TYPE_EXTENSION:
      case Kind.ENUM_TYPE_DEFINITION:
      case Kind.ENUM_TYPE_EXTENSION:
        builder.read(definition.name.value, definition.directives);
        break;
      case Kind.OBJECT_TYPE_DEFINITION:
      case Kind.OBJECT_TYPE_EXTENSION:
      case Kind.INTERFACE_TYPE_DEFINITION:
      case Kind.INTERFACE_TYPE_EXTENSION:
        if (definition.kind === Kind.OBJECT_TYPE_DEFINITION || definition.kind === Kind.OBJECT_TYPE_EXTENSION) builder.read(definition.name.value, definition.directives);
        for (const field of definition.fields ?? []) {
          const coordinate = `${definition.name.value}.${field.name.value}`;
          builder.read(coordinate, field.directives);
          for (const arg of field.arguments ?? []) builder.read(`${coordinate}(${arg.name.value}:)`, arg.directives);
        }
        break;
      case Kind.INPUT_OBJECT_TYPE_DEFINITION:
      case Kind.INPUT_OBJECT_TYPE_EXTENSION:
        for (const field of definition.fields ?? []) builder.read(`${definition.name.value}.${field.name.value}`, field.directives);
        break;
      default:
        break;
    }
  }
  return finish(builder.weights, builder.listSizes, graph);
}

/** Checks each `@listSize` against the public graph, and copies interface fields' entries down. */
function finish(weights: Map<string, number>, listSizes: Map<string, ListSizeRule>, graph: GraphQLSchema): CostModel {
  for (const [coordinate, rule] of listSizes) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = graph.getType(typeName);
    const field = isObjectType(type) || isInterfaceType(type) ? type.getFields()[fieldName] : undefined;
    if (field !== undefined) checkListSize(coordinate, field, rule);
  }
  for (const type of Object.values(graph.getTypeMap())) {
    if (!(isObjectType(type) || isInterfaceType(type))) continue;
    for (const iface of type.getInterfaces()) {
      for (const [name, field] of Object.entries(iface.getFields())) {
        const from = `${iface.name}.${name}`;
        const to = `${type.name}.${name}`;
        const weight = weights.get(from);
        if (weight !== undefined && !weights.has(to)) weights.set(to, weight);
        const rule = listSizes.get(from);
        if (rule !== undefined && !listSizes.has(to)) listSizes.set(to, rule);
        for (const arg of field.args) {
          const argWeight = weights.get(`${from}(${arg.name}:)`);
          if (argWeight !== undefined && !weights.has(`${to}(${arg.name}:)`)) weights.set(`${to}(${arg.name}:)`, argWeight);
        }
      }
    }
  }
  return { weights, listSizes };
}

function checkListSize(coordinate: string, field: GraphQLField<unknown, unknown>, rule: ListSizeRule): void {
  const fail = (why: string): never => {
    throw new GatewayError('SCHEMA_INVALID', `@listSize on ${coordinate} is not valid: ${why}`);
  };
  for (const path of rule.slicingArguments) {
    const head = path.split('.')[0] as string;
    if (!field.args.some((arg) => arg.name === head)) fail(`slicing argument "${path}" names no argument of the field (arguments: ${field.args.map((arg) => arg.name).join(', ') || 'none'})`);
  }
  const returned = getNamedType(field.type);
  for (const name of rule.sizedFields) {
    const fields = isObjectType(returned) || isInterfaceType(returned) ? returned.getFields() : {};
    if (fields[name] === undefined) fail(`sized field "${name}" is not a field of ${returned.name}`);
  }
}
