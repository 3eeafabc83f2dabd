import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { LIVE_NOTIFICATION_LIMITS } from '../../core/notifications/live';
import { STAFF_ROLES } from '../../core/organizations/roles';

/**
 * The values APPSYNC_JS resolvers repeat from `core` (they cannot import), by file and constant.
 * Every top-level constant of literals in amplify/data/*.js must be listed here.
 */
const REPEATED: Record<string, Record<string, unknown>> = {
  'on-work-order-changed.js': { STAFF_ROLES },
  'publish-notification.js': { LIVE_NOTIFICATION_LIMITS },
};

const DIRECTORY = path.dirname(new URL(import.meta.url).pathname);

/** A literal expression as a value: strings, numbers, booleans, and arrays and objects of them. */
function literalValue(node: ts.Expression): unknown {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text;
  if (ts.isNumericLiteral(node)) return Number(node.text);
  if (node.kind === ts.SyntaxKind.TrueKeyword) return true;
  if (node.kind === ts.SyntaxKind.FalseKeyword) return false;
  if (ts.isArrayLiteralExpression(node)) return node.elements.map(literalValue);
  if (ts.isObjectLiteralExpression(node)) {
    const entries = node.properties.map((p) =>
      ts.isPropertyAssignment(p) && ts.isIdentifier(p.name)
        ? [p.name.text, literalValue(p.initializer)]
        : [undefined, undefined],
    );
    if (entries.some(([key, value]) => key === undefined || value === undefined)) return undefined;
    return Object.fromEntries(entries);
  }
  return undefined;
}

/** The top-level `const NAME = <literal>` declarations of a resolver file, by name. */
function literalConstants(file: string): Record<string, unknown> {
  const source = ts.createSourceFile(
    file,
    readFileSync(path.join(DIRECTORY, file), 'utf8'),
    ts.ScriptTarget.ES2022,
    true,
    ts.ScriptKind.JS,
  );
  const constants: Record<string, unknown> = {};
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const declaration of statement.declarationList.declarations) {
      if (!ts.isIdentifier(declaration.name) || !declaration.initializer) continue;
      const value = literalValue(declaration.initializer);
      const complete = Array.isArray(value) ? !value.includes(undefined) : value !== undefined;
      if (complete) constants[declaration.name.text] = value;
    }
  }
  return constants;
}

const resolverFiles = readdirSync(DIRECTORY).filter((f) => f.endsWith('.js'));

describe('the APPSYNC_JS resolvers’ constants', () => {
  it('finds the resolver files', () => {
    expect(resolverFiles).toContain('on-work-order-changed.js');
  });

  it.each(resolverFiles)('%s repeats only values tied to core', (file) => {
    expect(Object.keys(literalConstants(file)).sort()).toEqual(
      Object.keys(REPEATED[file] ?? {}).sort(),
    );
  });

  it.each(
    Object.entries(REPEATED).flatMap(([file, constants]) =>
      Object.entries(constants).map(([name, value]) => ({ file, name, value })),
    ),
  )('$file declares $name as core does', ({ file, name, value }) => {
    expect(literalConstants(file)[name]).toEqual(value);
  });
});
