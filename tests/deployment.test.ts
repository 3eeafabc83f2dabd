import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkWithNag } from '../amplify/custom/nag';
import type { CloudAssembly } from '../local/assembly';
import { readCloudAssembly } from '../local/cloud-assembly';
import { evaluatePolicy } from '../local/iam/policy';
import { PROJECT_ROOT, SYNTH_CACHE } from '../local/paths';
import { BRANCH_CONTEXT, runBackendProgram, synthesize } from '../local/synth';

/**
 * What a real deployment needs that the local runtime alone cannot show: the branch synth that
 * `ampx pipeline-deploy` makes, checked by cdk-nag, its data protected, its mail settings required;
 * and the policies every function really has.
 */

type Resource = {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
type Template = {
  Resources?: Record<string, Resource>;
  Parameters?: object;
  Outputs?: object;
};

function templates(directory: string): [string, Template][] {
  return readdirSync(directory)
    .filter((f) => f.endsWith('.template.json'))
    .map((f) => [f, JSON.parse(readFileSync(path.join(directory, f), 'utf8')) as Template]);
}
const resourcesOfType = (directory: string, type: string): Resource[] =>
  templates(directory).flatMap(([, t]) =>
    Object.values(t.Resources ?? {}).filter((r) => r.Type === type),
  );

type NagReport = {
  pluginReports: { violations: { ruleName: string; violatingConstructs: unknown[] }[] }[];
};
const violationsIn = (directory: string): string[] =>
  (
    JSON.parse(readFileSync(path.join(directory, 'validation-report.json'), 'utf8')) as NagReport
  ).pluginReports.flatMap((p) => p.violations.map((v) => v.ruleName));

const MAIL = {
  STEWARD_MAIL_FROM: 'Grace Facilities <facilities@grace.example>',
  STEWARD_APP_URL: 'https://steward.grace.example',
};

describe('the branch deployment', () => {
  const outdirs: string[] = [];
  let branch: string;
  let branchRun: { code: number | null; output: string };
  let withoutSender: { code: number | null; output: string };

  beforeAll(async () => {
    const outdir = () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'steward-branch-'));
      outdirs.push(dir);
      return dir;
    };
    branch = outdir();
    [branchRun, withoutSender] = await Promise.all([
      runBackendProgram({
        root: PROJECT_ROOT,
        outdir: branch,
        context: BRANCH_CONTEXT,
        environment: { ...MAIL, STEWARD_NAG: '1', STEWARD_MAIL_DOMAIN: undefined },
      }),
      runBackendProgram({
        root: PROJECT_ROOT,
        outdir: outdir(),
        context: BRANCH_CONTEXT,
        environment: { STEWARD_MAIL_FROM: undefined, STEWARD_APP_URL: MAIL.STEWARD_APP_URL },
      }),
    ]);
  });

  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });

  it("passes cdk-nag's AWS Solutions and Serverless packs, every finding fixed or acknowledged", () => {
    expect(violationsIn(branch)).toEqual([]);
    expect(branchRun.code).toBe(0);
  });

  it('refuses to synthesize without a sender address, saying what to set', () => {
    expect(withoutSender.code).not.toBe(0);
    expect(withoutSender.output).toContain('STEWARD_MAIL_FROM is not set');
    expect(withoutSender.output).toContain('Deploy to AWS');
  });

  it('keeps every table of organization data recoverable and never deletes it with the stack', () => {
    const modelTables = resourcesOfType(branch, 'Custom::AmplifyDynamoDBTable');
    expect(modelTables.length).toBeGreaterThanOrEqual(7);
    for (const table of modelTables) {
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        deletionProtectionEnabled: true,
        allowDestructiveGraphqlSchemaUpdates: false,
        replaceTableUponGsiUpdate: false,
        pointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
    const [profiles, ...others] = resourcesOfType(branch, 'AWS::DynamoDB::Table');
    expect(others).toEqual([]);
    expect(profiles?.DeletionPolicy).toBe('Retain');
    expect(profiles?.Properties).toMatchObject({
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    const [pool] = resourcesOfType(branch, 'AWS::Cognito::UserPool');
    expect(pool?.DeletionPolicy).toBe('Retain');
    expect(pool?.Properties?.DeletionProtection).toBe('ACTIVE');
  });

  it('declares the sender as an SES identity and gives no guest credentials', () => {
    const identities = resourcesOfType(branch, 'AWS::SES::EmailIdentity');
    expect(identities.map((i) => i.Properties?.EmailIdentity)).toEqual([
      'facilities@grace.example',
    ]);
    const [identityPool] = resourcesOfType(branch, 'AWS::Cognito::IdentityPool');
    expect(identityPool?.Properties?.AllowUnauthenticatedIdentities).toBe(false);
    const [pool] = resourcesOfType(branch, 'AWS::Cognito::UserPool');
    // Cognito's own emails move to SES only when asked: SES refuses an unverified identity.
    expect(pool?.Properties?.EmailConfiguration).toBeUndefined();
  });

  it("stays inside CloudFormation's limits, with headroom", () => {
    for (const [file, template] of templates(branch)) {
      const resources = Object.keys(template.Resources ?? {}).length;
      const size = Buffer.byteLength(JSON.stringify(template));
      expect(resources, file).toBeLessThan(500 * 0.6);
      expect(Object.keys(template.Parameters ?? {}).length, file).toBeLessThan(200 * 0.6);
      expect(Object.keys(template.Outputs ?? {}).length, file).toBeLessThan(200 * 0.6);
      expect(size, file).toBeLessThan(1_000_000 * 0.6);
    }
  });
});

describe('cdk-nag as the backend runs it', () => {
  it('reports a planted finding: a table without point-in-time recovery', () => {
    const outdir = mkdtempSync(path.join(os.tmpdir(), 'steward-nag-'));
    try {
      const app = new App({ outdir });
      const stack = new Stack(app, 'Planted');
      new Table(stack, 'Unprotected', {
        partitionKey: { name: 'id', type: AttributeType.STRING },
        billingMode: BillingMode.PAY_PER_REQUEST,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      checkWithNag(app);
      expect(() => app.synth()).toThrow(/point-in-time recovery/i);
      expect(violationsIn(outdir)).toContain('AwsSolutions-DDB3');
    } finally {
      rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('the functions as synthesized', () => {
  let assembly: CloudAssembly;
  beforeAll(async () => {
    const { directory } = await synthesize({ root: PROJECT_ROOT, cacheDirectory: SYNTH_CACHE });
    assembly = readCloudAssembly(directory);
  });
  const policyOf = (name: string) => {
    const found = assembly.functions.find((f) => f.name === name);
    if (!found) throw new Error(`no function ${name}`);
    return found.policy ?? [];
  };
  const tableArn = (name: string) => `arn:aws:dynamodb:us-east-1:000000000000:table/${name}`;
  const api = 'arn:aws:appsync:us-east-1:000000000000:apis/local/types';

  it('every one declares a supported Node.js runtime', () => {
    expect(assembly.functions.length).toBeGreaterThanOrEqual(3);
    for (const fn of assembly.functions) {
      expect(['nodejs22.x', 'nodejs24.x'], fn.name).toContain(fn.runtime);
    }
  });

  it('the api may query every index of every model table', () => {
    const indexes = assembly.tables
      .filter((t) => t.modelName)
      .flatMap((t) =>
        t.globalSecondaryIndexes.map((i) => `${tableArn(t.tableName)}/index/${i.IndexName}`),
      );
    expect(indexes.length).toBeGreaterThan(5);
    for (const index of indexes) {
      expect(evaluatePolicy(policyOf('api'), 'dynamodb:Query', index), index).toBe('allow');
    }
  });

  it('the notifier may publish notifications and call no other field, and mail only as Steward', () => {
    const notifier = policyOf('notifier');
    expect(
      evaluatePolicy(notifier, 'appsync:GraphQL', `${api}/Mutation/fields/publishNotification`),
    ).toBe('allow');
    for (const field of [
      'Mutation/fields/submitWorkOrder',
      'Mutation/fields/inviteMember',
      'Query/fields/me',
    ]) {
      expect(evaluatePolicy(notifier, 'appsync:GraphQL', `${api}/${field}`), field).not.toBe(
        'allow',
      );
    }
    const identity = 'arn:aws:ses:us-east-1:000000000000:identity';
    expect(assembly.emailIdentities).toEqual(['steward@example.com']);
    expect(evaluatePolicy(notifier, 'ses:SendEmail', `${identity}/steward@example.com`)).toBe(
      'allow',
    );
    expect(evaluatePolicy(notifier, 'ses:SendEmail', `${identity}/example.org`)).toBe(
      'implicit-deny',
    );
    // People never send mail or publish.
    expect(
      evaluatePolicy(policyOf('api'), 'ses:SendEmail', `${identity}/steward@example.com`),
    ).toBe('implicit-deny');
  });
});
