import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnGraphQLApi } from 'aws-cdk-lib/aws-appsync';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RATE_LIMITS,
  limitGraphqlRequests,
  rateLimitGraphqlApi,
  rateLimitsFromEnvironment,
} from './api-protection';

describe('rateLimitsFromEnvironment', () => {
  it('uses the defaults when nothing is set', () => {
    expect(rateLimitsFromEnvironment({})).toEqual(DEFAULT_RATE_LIMITS);
  });

  it('takes tuned limits, and "off" for no web ACL', () => {
    expect(
      rateLimitsFromEnvironment({
        STEWARD_RATE_LIMIT_PER_5_MIN: '3000',
        STEWARD_RATE_LIMIT_PER_IP_PER_5_MIN: '9000',
      }),
    ).toEqual({ perCallerPer5Min: 3000, perIpPer5Min: 9000 });
    expect(rateLimitsFromEnvironment({ STEWARD_RATE_LIMIT_PER_5_MIN: 'off' })).toBeUndefined();
  });

  it.each(['5', '1.5', 'many', '3000000000'])('refuses %s, naming the variable', (value) => {
    expect(() => rateLimitsFromEnvironment({ STEWARD_RATE_LIMIT_PER_5_MIN: value })).toThrow(
      /STEWARD_RATE_LIMIT_PER_5_MIN=.* between 10 and 2000000000/,
    );
  });
});

describe('rateLimitGraphqlApi', () => {
  it('puts the tuned limits into the web ACL associated with the API', () => {
    const stack = new Stack(new App(), 'Test');
    const api = new CfnGraphQLApi(stack, 'Api', {
      name: 'test',
      authenticationType: 'AMAZON_COGNITO_USER_POOLS',
    });
    limitGraphqlRequests(api);
    rateLimitGraphqlApi(api, { perCallerPer5Min: 1200, perIpPer5Min: 6000 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::AppSync::GraphQLApi', {
      QueryDepthLimit: 10,
      ResolverCountLimit: 800,
      IntrospectionConfig: 'DISABLED',
    });
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0] as {
      Properties: { Rules: { Statement: { RateBasedStatement: { Limit: number } } }[] };
    };
    expect(acl.Properties.Rules.map((r) => r.Statement.RateBasedStatement.Limit)).toEqual([
      1200, 6000,
    ]);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
  });
});
