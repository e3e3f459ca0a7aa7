/**
 * Turns a federation subgraph's `@key` directives into stitching merge config: a reference
 * from another source is completed by one `_entities(representations:)` call per type and
 * level, the representation being `__typename` plus the key's fields.
 */
import { Kind, print, type DocumentNode, type ObjectTypeDefinitionNode, type ObjectTypeExtensionNode } from 'graphql';
import type { MergedTypeConfig } from '@graphql-tools/delegate';
import { getArgsFromKeysForFederation, getKeyFnForFederation } from '@graphql-tools/federation';

/** Merge config for every type with a resolvable `@key` in the subgraph's SDL. */
export function federationMergeConfig(sdl: DocumentNode): Record<string, MergedTypeConfig> {
  const keysByType = new Map<string, string[]>();
  for (const node of sdl.definitions) {
    if (node.kind !== Kind.OBJECT_TYPE_DEFINITION && node.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    for (const fields of resolvableKeys(node)) {
      const list = keysByType.get(node.name.value) ?? [];
      list.push(fields);
      keysByType.set(node.name.value, list);
    }
  }
  const merge: Record<string, MergedTypeConfig> = {};
  for (const [typeName, keys] of keysByType) {
    merge[typeName] = {
      selectionSet: `{ ${keys.join(' ')} }`,
      key: getKeyFnForFederation(typeName, keys),
      fieldName: '_entities',
      argsFromKeys: getArgsFromKeysForFederation,
    };
  }
  return merge;
}

/** The `@key(fields:)` of an object type or extension, those with `resolvable: false` left out. */
export function resolvableKeys(node: ObjectTypeDefinitionNode | ObjectTypeExtensionNode): string[] {
  const keys: string[] = [];
  for (const directive of node.directives ?? []) {
    if (directive.name.value !== 'key') continue;
    const fields = directive.arguments?.find((arg) => arg.name.value === 'fields');
    const resolvable = directive.arguments?.find((arg) => arg.name.value === 'resolvable');
    if (resolvable && print(resolvable.value) === 'false') continue;
    if (fields && fields.value.kind === Kind.STRING) keys.push(fields.value.value);
  }
  return keys;
}
