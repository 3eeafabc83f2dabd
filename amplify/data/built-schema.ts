import { type DocumentNode, parse } from 'graphql';
import { data } from './resource';

/** The schema as `defineData` transforms it: its SDL, parsed, and the functions behind its fields. */
export type BuiltSchema = {
  document: DocumentNode;
  /** The function each `@function(name: …)` directive names, by that name. */
  lambdaFunctions: Record<string, unknown>;
};

/**
 * The schema built from amplify/data/resource.ts, for tests that tie it to `core` and to the
 * functions that resolve it. Amplify keeps the schema on the factory's props, which its types do
 * not expose; the shape is checked so that an upgrade moving it fails loudly.
 */
export function builtSchema(): BuiltSchema {
  const schema = (data as unknown as { props?: { schema?: { transform?: unknown } } }).props
    ?.schema;
  if (typeof schema?.transform !== 'function') {
    throw new Error('defineData no longer keeps the schema at props.schema.transform()');
  }
  const transformed = (schema.transform as () => { schema?: unknown; lambdaFunctions?: unknown })();
  if (typeof transformed.schema !== 'string' || typeof transformed.lambdaFunctions !== 'object') {
    throw new Error('schema.transform() no longer returns { schema, lambdaFunctions }');
  }
  return {
    document: parse(transformed.schema),
    lambdaFunctions: transformed.lambdaFunctions as Record<string, unknown>,
  };
}
