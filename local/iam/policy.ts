/**
 * IAM identity-policy evaluation as AWS applies it to one request: an explicit Deny wins, then an
 * Allow is needed, otherwise the request is implicitly denied. Actions match case-insensitively
 * with `*` and `?` wildcards, resources case-sensitively; `NotAction` and `NotResource` invert
 * the match. A statement with a Condition the local runtime cannot evaluate never allows (and a
 * Deny with one always applies): locally a policy may only be stricter than on AWS, never looser.
 */

/** One statement of an identity policy, with CloudFormation intrinsics already evaluated. */
export type PolicyStatement = {
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  condition?: Record<string, Record<string, string | string[]>>;
};

export type Decision = 'allow' | 'explicit-deny' | 'implicit-deny';

/** Condition keys the local runtime knows the value of, per request. */
export type RequestContext = Record<string, string | undefined>;

const asList = (value: unknown): string[] | undefined =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map(String);

/** A policy document's statements (`{ Statement: [...] }` as in a template) in typed form. */
export function statementsOf(document: unknown): PolicyStatement[] {
  const raw = (document as { Statement?: unknown } | undefined)?.Statement;
  const list = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  return list.map((s) => {
    const statement = s as Record<string, unknown>;
    return {
      effect: statement.Effect === 'Deny' ? 'Deny' : 'Allow',
      actions: asList(statement.Action),
      notActions: asList(statement.NotAction),
      resources: asList(statement.Resource),
      notResources: asList(statement.NotResource),
      condition: statement.Condition as PolicyStatement['condition'],
    };
  });
}

const patternCache = new Map<string, RegExp>();
function wildcard(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `${caseInsensitive ? 'i' : 's'}${pattern}`;
  let found = patternCache.get(key);
  if (!found) {
    const body = pattern
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
      .join('');
    found = new RegExp(`^${body}$`, caseInsensitive ? 'i' : '');
    patternCache.set(key, found);
  }
  return found;
}

const anyMatches = (patterns: string[], value: string, caseInsensitive: boolean): boolean =>
  patterns.some((p) => wildcard(p, caseInsensitive).test(value));

function matchesAction(statement: PolicyStatement, action: string): boolean {
  if (statement.actions) return anyMatches(statement.actions, action, true);
  if (statement.notActions) return !anyMatches(statement.notActions, action, true);
  return false;
}

function matchesResource(statement: PolicyStatement, resource: string): boolean {
  if (statement.resources) return anyMatches(statement.resources, resource, false);
  if (statement.notResources) return !anyMatches(statement.notResources, resource, false);
  return false;
}

/** undefined: a condition operator or key the local runtime cannot evaluate. */
function conditionHolds(
  condition: PolicyStatement['condition'],
  context: RequestContext,
): boolean | undefined {
  if (!condition) return true;
  for (const [operator, entries] of Object.entries(condition)) {
    for (const [key, expected] of Object.entries(entries)) {
      const actual = context[key];
      if (actual === undefined) return undefined;
      const values = asList(expected) ?? [];
      let holds: boolean;
      switch (operator) {
        case 'StringEquals':
          holds = values.includes(actual);
          break;
        case 'StringNotEquals':
          holds = !values.includes(actual);
          break;
        case 'StringLike':
          holds = anyMatches(values, actual, false);
          break;
        case 'StringNotLike':
          holds = !anyMatches(values, actual, false);
          break;
        default:
          return undefined;
      }
      if (!holds) return false;
    }
  }
  return true;
}

/** The decision AWS would take for `action` on `resource` under these statements. */
export function evaluatePolicy(
  statements: readonly PolicyStatement[],
  action: string,
  resource: string,
  context: RequestContext = {},
): Decision {
  let allowed = false;
  for (const statement of statements) {
    if (!matchesAction(statement, action) || !matchesResource(statement, resource)) continue;
    const holds = conditionHolds(statement.condition, context);
    if (statement.effect === 'Deny') {
      if (holds !== false) return 'explicit-deny';
    } else if (holds === true) {
      allowed = true;
    }
  }
  return allowed ? 'allow' : 'implicit-deny';
}

/** AWS's wording for a refused call, as in an AccessDenied error message. */
export function accessDeniedMessage(
  principalArn: string,
  action: string,
  resource: string,
  decision: Exclude<Decision, 'allow'>,
): string {
  const why =
    decision === 'explicit-deny'
      ? `with an explicit deny in an identity-based policy`
      : `because no identity-based policy allows the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}
