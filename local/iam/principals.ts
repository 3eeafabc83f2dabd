import { randomBytes } from 'node:crypto';
import type { FunctionDefinition } from '../assembly';
import { LOCAL_ACCOUNT } from '../cloud-assembly';
import { accessDeniedMessage, evaluatePolicy, type RequestContext } from './policy';

/**
 * The local runtime's IAM principals: one per function, each with credentials made for the run
 * and the identity policy its execution role has in the synthesized backend. The emulators learn
 * the caller from the access key in a request's SigV4 Authorization header and authorize the call
 * against that role's policy, as AWS would.
 */
export type FunctionPrincipal = {
  functionName: string;
  /** `arn:aws:sts::<account>:assumed-role/<role>/<function>`, as AWS names the caller. */
  principalArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  definition: FunctionDefinition;
};

export type Principals = {
  forFunction: (name: string) => FunctionPrincipal;
  byAccessKey: (accessKeyId: string) => FunctionPrincipal | undefined;
  all: () => FunctionPrincipal[];
};

/** Refused by IAM: the emulators answer this as AWS's AccessDenied error of their protocol. */
export class AccessDeniedError extends Error {
  constructor(
    message: string,
    readonly action: string,
    readonly resource: string,
  ) {
    super(message);
    this.name = 'AccessDeniedError';
  }
}

export function createPrincipals(functions: FunctionDefinition[], region: string): Principals {
  const byName = new Map<string, FunctionPrincipal>();
  const byKey = new Map<string, FunctionPrincipal>();
  for (const definition of functions) {
    const role = (definition.roleArn ?? `role/${definition.name}`).split('/').pop();
    const principal: FunctionPrincipal = {
      functionName: definition.name,
      principalArn: `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${role}/${definition.name}`,
      accessKeyId: `ASIA${randomBytes(8).toString('hex').toUpperCase()}`,
      secretAccessKey: randomBytes(30).toString('base64url'),
      region,
      definition,
    };
    byName.set(definition.name, principal);
    byKey.set(principal.accessKeyId, principal);
  }
  return {
    forFunction: (name) => {
      const found = byName.get(name);
      if (!found) throw new Error(`No function ${name} in the backend`);
      return found;
    },
    byAccessKey: (key) => byKey.get(key),
    all: () => [...byName.values()],
  };
}

/** The access key id of a SigV4 `Authorization` header, or undefined when there is none. */
export function accessKeyOf(authorization: string | string[] | undefined): string | undefined {
  const text = Array.isArray(authorization) ? authorization[0] : authorization;
  return /^AWS4-HMAC-SHA256 Credential=([^/\s]+)\//.exec(text ?? '')?.[1];
}

/** Throws AccessDeniedError unless the principal's policy allows every one of the permissions. */
export function authorize(
  principal: FunctionPrincipal,
  permissions: readonly { action: string; resource: string }[],
  context: RequestContext = {},
): void {
  const statements = principal.definition.policy ?? [];
  for (const { action, resource } of permissions) {
    const decision = evaluatePolicy(statements, action, resource, context);
    if (decision !== 'allow') {
      throw new AccessDeniedError(
        accessDeniedMessage(principal.principalArn, action, resource, decision),
        action,
        resource,
      );
    }
  }
}
