import type { GraphQLSchema } from 'graphql';
import { ResolverError } from './resolver-error';

/**
 * Counts the resolvers each request invokes, as AppSync does for `resolverCountLimit`: every
 * invocation of a field with a resolver (a list of 500 items with a field resolver counts 500).
 * Past the limit a field fails with `ResolverExecutionLimitReached` instead of running.
 * Subscription fields are left alone: they run once when a subscription starts.
 */
export function limitResolverInvocations(
  schema: GraphQLSchema,
  resolvers: { typeName: string; fieldName: string }[],
  limit: number,
): void {
  const counts = new WeakMap<object, number>();
  for (const { typeName, fieldName } of resolvers) {
    if (typeName === 'Subscription') continue;
    const type = schema.getType(typeName);
    const field =
      type && 'getFields' in type ? (type.getFields() as Record<string, unknown>)[fieldName] : null;
    const resolvable = field as { resolve?: (...args: unknown[]) => unknown } | null | undefined;
    const resolve = resolvable?.resolve;
    if (!resolvable || !resolve) continue;
    resolvable.resolve = (source: unknown, args: unknown, context: unknown, info: unknown) => {
      if (context && typeof context === 'object') {
        const count = (counts.get(context) ?? 0) + 1;
        counts.set(context, count);
        if (count > limit) {
          throw new ResolverError(
            `Resolver invocation limit reached: this API allows ${limit} resolvers a request.`,
            'ResolverExecutionLimitReached',
          );
        }
      }
      return resolve(source, args, context, info);
    };
  }
}
