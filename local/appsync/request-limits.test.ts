import { parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperation } from './request-limits';

const limits = { queryDepthLimit: 3, resolverCountLimit: 5, introspection: false };
const roots = new Set(['Query.me', 'Query.getWorkOrder', 'Mutation.submitWorkOrder']);
const hasResolver = (type: string, field: string) => roots.has(`${type}.${field}`);
const check = (query: string, operationName?: string) =>
  checkOperation(parse(query), operationName, limits, hasResolver)?.errorType;

describe('checkOperation', () => {
  it('admits an operation within every limit', () => {
    expect(check('{ me { profile { id } } }')).toBeUndefined();
  });

  it('refuses nesting deeper than the limit, through fragments too', () => {
    expect(check('{ me { profile { preferences { assignment } } } }')).toBe(
      'QueryDepthLimitReached',
    );
    expect(
      check('query { me { ...P } } fragment P on Me { profile { preferences { assignment } } }'),
    ).toBe('QueryDepthLimitReached');
  });

  it('counts aliased and spread root fields with resolvers, not __typename', () => {
    const aliases = (n: number) =>
      Array.from({ length: n }, (_, i) => `a${i}: me { profile { id } }`).join(' ');
    expect(check(`{ ${aliases(5)} __typename }`)).toBeUndefined();
    expect(check(`{ ${aliases(6)} }`)).toBe('ResolverExecutionLimitReached');
    expect(check(`query { ...F ...F } fragment F on Query { ${aliases(3)} }`)).toBe(
      'ResolverExecutionLimitReached',
    );
  });

  it('refuses introspection when it is disabled, but not __typename', () => {
    expect(check('{ __schema { types { name } } }')).toBe('ValidationError');
    expect(check('query { ...F } fragment F on Query { __type(name: "Me") { name } }')).toBe(
      'ValidationError',
    );
    expect(check('{ __typename }')).toBeUndefined();
  });

  it('survives a fragment cycle (left to validation)', () => {
    expect(check('query { me { ...A } } fragment A on Me { ...B } fragment B on Me { ...A }')).toBe(
      undefined,
    );
  });

  it('checks the named operation of several', () => {
    const document = `query Small { me { profile { id } } } query Deep { me { profile { preferences { assignment } } } }`;
    expect(check(document, 'Small')).toBeUndefined();
    expect(check(document, 'Deep')).toBe('QueryDepthLimitReached');
  });
});
