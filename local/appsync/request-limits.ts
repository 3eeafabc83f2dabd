import type { DocumentNode, FragmentDefinitionNode, SelectionSetNode } from 'graphql';

/** AppSync's limit on a request (the GraphQL operation is at most 1 MiB). */
export const MAX_REQUEST_BYTES = 1024 * 1024;

/** The limits one GraphQL operation is checked against before anything runs. */
export type OperationLimits = {
  queryDepthLimit?: number;
  resolverCountLimit: number;
  introspection: boolean;
};

/** Why an operation was refused before it ran: an AppSync-style error type and message. */
export type LimitViolation = { errorType: string; message: string };

type Walk = {
  fragments: Map<string, FragmentDefinitionNode>;
  /** Fragments on the current path, so a (invalid) fragment cycle cannot recurse for ever. */
  visiting: Set<string>;
};

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === 'FragmentDefinition') fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** Nested levels of a selection set, fragments counted at the level they are spread. */
function depthOf(set: SelectionSetNode | undefined, walk: Walk): number {
  let deepest = 0;
  for (const selection of set?.selections ?? []) {
    if (selection.kind === 'Field') {
      deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet, walk));
    } else if (selection.kind === 'InlineFragment') {
      deepest = Math.max(deepest, depthOf(selection.selectionSet, walk));
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || walk.visiting.has(name)) continue;
      walk.visiting.add(name);
      deepest = Math.max(deepest, depthOf(fragment.selectionSet, walk));
      walk.visiting.delete(name);
    }
  }
  return deepest;
}

/** Root fields of a selection set (aliases and fragment spreads each count again). */
function rootFieldsOf(set: SelectionSetNode, walk: Walk, out: string[]): void {
  for (const selection of set.selections) {
    if (selection.kind === 'Field') out.push(selection.name.value);
    else if (selection.kind === 'InlineFragment') rootFieldsOf(selection.selectionSet, walk, out);
    else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || walk.visiting.has(name)) continue;
      walk.visiting.add(name);
      rootFieldsOf(fragment.selectionSet, walk, out);
      walk.visiting.delete(name);
    }
  }
}

/** Whether a selection set asks for `__schema` or `__type` anywhere. */
function introspects(set: SelectionSetNode | undefined, walk: Walk): boolean {
  for (const selection of set?.selections ?? []) {
    if (selection.kind === 'Field') {
      if (selection.name.value === '__schema' || selection.name.value === '__type') return true;
      if (introspects(selection.selectionSet, walk)) return true;
    } else if (selection.kind === 'InlineFragment') {
      if (introspects(selection.selectionSet, walk)) return true;
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments.get(name);
      if (!fragment || walk.visiting.has(name)) continue;
      walk.visiting.add(name);
      const found = introspects(fragment.selectionSet, walk);
      walk.visiting.delete(name);
      if (found) return true;
    }
  }
  return false;
}

/**
 * Checks the operation a request would run against the API's limits, before any resolver runs:
 * introspection when disabled, nesting deeper than queryDepthLimit, and more root fields with a
 * resolver than resolverCountLimit (each of them runs at least once, so the request could only
 * end over the limit). Nested resolvers are counted as they run (see resolver-budget.ts).
 */
export function checkOperation(
  document: DocumentNode,
  operationName: string | undefined,
  limits: OperationLimits,
  hasResolver: (typeName: string, fieldName: string) => boolean,
): LimitViolation | undefined {
  const operations = document.definitions.filter((d) => d.kind === 'OperationDefinition');
  const operation = operationName
    ? operations.find((o) => o.name?.value === operationName)
    : operations.length === 1
      ? operations[0]
      : undefined;
  // Which operation to run is for GraphQL validation to report.
  if (!operation) return undefined;
  const walk: Walk = { fragments: fragmentsOf(document), visiting: new Set() };
  if (!limits.introspection && introspects(operation.selectionSet, walk)) {
    return {
      errorType: 'ValidationError',
      message: 'Introspection is disabled on this API: __schema and __type cannot be queried.',
    };
  }
  const depth = depthOf(operation.selectionSet, walk);
  if (limits.queryDepthLimit !== undefined && depth > limits.queryDepthLimit) {
    return {
      errorType: 'QueryDepthLimitReached',
      message: `The operation has ${depth} nested levels; this API allows at most ${limits.queryDepthLimit}.`,
    };
  }
  const rootType =
    operation.operation === 'query'
      ? 'Query'
      : operation.operation === 'mutation'
        ? 'Mutation'
        : 'Subscription';
  const roots: string[] = [];
  rootFieldsOf(operation.selectionSet, walk, roots);
  const resolvers = roots.filter((field) => hasResolver(rootType, field)).length;
  if (resolvers > limits.resolverCountLimit) {
    return {
      errorType: 'ResolverExecutionLimitReached',
      message: `The operation would invoke at least ${resolvers} resolvers; this API allows at most ${limits.resolverCountLimit} a request.`,
    };
  }
  return undefined;
}
