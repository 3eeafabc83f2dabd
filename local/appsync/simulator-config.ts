import {
  AmplifyAppSyncSimulatorAuthenticationType,
  RESOLVER_KIND,
  type AmplifyAppSyncSimulatorConfig,
  type AppSyncSimulatorDataSourceConfig,
  type AppSyncSimulatorDataSourceDDBConfig,
  type AppSyncSimulatorFunctionsConfig,
  type AppSyncSimulatorMappingTemplate,
  type AppSyncSimulatorPipelineResolverConfig,
  type AppSyncSimulatorUnitResolverConfig,
} from '@aws-amplify/amplify-appsync-simulator';
import type { CloudAssembly, ResolverCode } from '../assembly';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../dynamodb';
import { LOCAL_ACCOUNT } from '../cloud-assembly';

/** APPSYNC_JS code the simulator cannot run, keyed for the local JS runtime. */
export type JsCode = {
  /** `Type:field` → code of the resolver. */
  resolvers: Map<string, string>;
  /** Pipeline function id → code and data source. */
  functions: Map<string, { code: string; dataSourceName: string }>;
};

/** Invokes a Lambda of the assembly by its function name. */
export type InvokeFunction = (functionName: string, payload: unknown) => Promise<unknown>;

/** An error from a Lambda data source, shaped so the VTL sees `$ctx.error.type` / `.message`. */
export class LambdaDataSourceError extends Error {
  readonly type: string;
  constructor(message: string, type: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LambdaDataSourceError';
    this.type = type;
  }
}

/** The placeholder template a JS resolver is registered with (the simulator insists on VTL). */
export const JS_PLACEHOLDER_TEMPLATE = 'appsync-js/placeholder.vtl';

const RESOLVER_SOURCE_NAME = 'resolvers';

function templatesFor(
  code: ResolverCode,
  base: string,
  templates: AppSyncSimulatorMappingTemplate[],
): { requestMappingTemplateLocation: string; responseMappingTemplateLocation: string } {
  if (code.runtime !== 'VTL') {
    return {
      requestMappingTemplateLocation: JS_PLACEHOLDER_TEMPLATE,
      responseMappingTemplateLocation: JS_PLACEHOLDER_TEMPLATE,
    };
  }
  const request = `${RESOLVER_SOURCE_NAME}/${base}.req.vtl`;
  const response = `${RESOLVER_SOURCE_NAME}/${base}.res.vtl`;
  templates.push(
    { path: request, content: code.requestTemplate },
    { path: response, content: code.responseTemplate },
  );
  return { requestMappingTemplateLocation: request, responseMappingTemplateLocation: response };
}

function lambdaInvoker(invokeFunction: InvokeFunction, functionName: string) {
  return async (payload: unknown) => {
    try {
      return await invokeFunction(functionName, payload);
    } catch (err) {
      const e = err as { errorType?: string; errorMessage?: string; message?: string };
      throw new LambdaDataSourceError(
        e.errorMessage ?? e.message ?? String(err),
        e.errorType ?? 'Lambda:Unhandled',
        {
          cause: err,
        },
      );
    }
  };
}

/** Turns the assembly into the simulator's config, plus the APPSYNC_JS code it lacks a runtime for. */
export function toSimulatorConfig(
  assembly: CloudAssembly,
  options: { dynamoDbEndpoint: string; invokeFunction: InvokeFunction; userPoolClientId?: string },
): { config: AmplifyAppSyncSimulatorConfig; js: JsCode } {
  const mappingTemplates: AppSyncSimulatorMappingTemplate[] = [
    { path: JS_PLACEHOLDER_TEMPLATE, content: '{}' },
  ];
  const js: JsCode = { resolvers: new Map(), functions: new Map() };

  const dataSources: AppSyncSimulatorDataSourceConfig[] = assembly.dataSources.map((source) => {
    switch (source.type) {
      case 'AMAZON_DYNAMODB': {
        // The SDK v3 client ignores top-level key ids: credentials must be an object.
        const ddb: AppSyncSimulatorDataSourceDDBConfig['config'] & {
          credentials: typeof LOCAL_CREDENTIALS;
        } = {
          endpoint: options.dynamoDbEndpoint,
          region: LOCAL_REGION,
          tableName: source.tableName,
          credentials: LOCAL_CREDENTIALS,
        };
        return { name: source.name, type: 'AMAZON_DYNAMODB', config: ddb };
      }
      case 'AWS_LAMBDA':
        return {
          name: source.name,
          type: 'AWS_LAMBDA',
          invoke: lambdaInvoker(options.invokeFunction, source.functionName),
        };
      case 'NONE':
        return { name: source.name, type: 'NONE' };
    }
  });

  const functions: AppSyncSimulatorFunctionsConfig[] = [];
  for (const fn of assembly.pipelineFunctions) {
    if (fn.runtime === 'APPSYNC_JS') {
      js.functions.set(fn.id, { code: fn.code, dataSourceName: fn.dataSourceName });
      continue;
    }
    functions.push({
      name: fn.id,
      dataSourceName: fn.dataSourceName,
      ...templatesFor(fn, `functions/${fn.id}`, mappingTemplates),
    });
  }

  const resolvers = assembly.resolvers.map(
    (resolver): AppSyncSimulatorUnitResolverConfig | AppSyncSimulatorPipelineResolverConfig => {
      const base = `${resolver.typeName}.${resolver.fieldName}`;
      if (resolver.runtime === 'APPSYNC_JS')
        js.resolvers.set(`${resolver.typeName}:${resolver.fieldName}`, resolver.code);
      const templates = templatesFor(resolver, base, mappingTemplates);
      return resolver.kind === 'PIPELINE'
        ? {
            kind: RESOLVER_KIND.PIPELINE,
            typeName: resolver.typeName,
            fieldName: resolver.fieldName,
            functions: resolver.functions,
            ...templates,
          }
        : {
            kind: RESOLVER_KIND.UNIT,
            typeName: resolver.typeName,
            fieldName: resolver.fieldName,
            dataSourceName: resolver.dataSourceName,
            ...templates,
          };
    },
  );

  const config: AmplifyAppSyncSimulatorConfig = {
    schema: { path: 'schema.graphql', content: assembly.schema },
    dataSources,
    functions,
    resolvers,
    mappingTemplates,
    appSync: {
      name: 'steward-local',
      defaultAuthenticationType: {
        authenticationType: AmplifyAppSyncSimulatorAuthenticationType.AMAZON_COGNITO_USER_POOLS,
        cognitoUserPoolConfig: options.userPoolClientId
          ? { AppIdClientRegex: options.userPoolClientId }
          : {},
      },
      // Calls signed by the account's own principal (the notifier publishing), verified in index.ts.
      // The simulator names an IAM caller from these; none is an identity-pool user.
      accountId: LOCAL_ACCOUNT,
      unAuthRoleName: 'assumed-role/steward-local-functions/lambda',
      additionalAuthenticationProviders: [
        { authenticationType: AmplifyAppSyncSimulatorAuthenticationType.AWS_IAM },
      ],
    },
  };
  return { config, js };
}
