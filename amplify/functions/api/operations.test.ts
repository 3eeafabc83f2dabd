import { Kind, valueFromASTUntyped } from 'graphql';
import { describe, expect, it } from 'vitest';
import { builtSchema } from '../../data/built-schema';
import { OPERATIONS } from './dispatch';
import { api } from './resource';

/** A Lambda-resolved field of the schema, as the `api` function has to serve it. */
type LambdaField = { fieldName: string; type: string; caller: 'person' | 'service' };

/**
 * The fields resolved by the `api` function: those whose `@function` directive names a function
 * the schema maps to `api`. An identity-pool (IAM) rule marks a field for services, not people.
 */
function apiFields(): LambdaField[] {
  const { document, lambdaFunctions } = builtSchema();
  const fields: LambdaField[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION) continue;
    const type = definition.name.value;
    for (const field of definition.fields ?? []) {
      const fn = field.directives?.find((d) => d.name.value === 'function');
      const name = fn?.arguments?.find((a) => a.name.value === 'name')?.value;
      if (name?.kind !== Kind.STRING || lambdaFunctions[name.value] !== api) continue;
      const auth = field.directives?.find((d) => d.name.value === 'auth')?.arguments?.[0]?.value;
      const rules = (auth ? valueFromASTUntyped(auth) : []) as { provider?: string }[];
      fields.push({
        fieldName: field.name.value,
        type,
        caller: rules.every((rule) => rule.provider === 'identityPool') ? 'service' : 'person',
      });
    }
  }
  return fields.sort((a, b) => a.fieldName.localeCompare(b.fieldName));
}

describe('the api function’s operations', () => {
  const fields = apiFields();

  it('reads the Lambda-resolved fields from the schema', () => {
    expect(fields.map((f) => f.fieldName)).toContain('me');
    expect(fields.map((f) => f.fieldName)).toContain('submitWorkOrder');
  });

  it('has an operation for every field the schema resolves with it, and a field for each', () => {
    expect(Object.keys(OPERATIONS).sort()).toEqual(fields.map((f) => f.fieldName));
  });

  it('serves each field as the schema declares it: query or mutation, person or service', () => {
    const served = Object.entries(OPERATIONS)
      .map(([fieldName, operation]) => ({
        fieldName,
        type: operation.type,
        caller: operation.caller,
      }))
      .sort((a, b) => a.fieldName.localeCompare(b.fieldName));
    expect(served).toEqual(fields);
  });
});
