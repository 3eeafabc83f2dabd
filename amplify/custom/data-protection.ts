import { CfnResource, RemovalPolicy } from 'aws-cdk-lib';
import type { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import { CfnTable, type Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IConstruct } from 'constructs';

/**
 * Makes organization data survive a deleted branch, a changed key or a bad deploy: every model
 * table and the profile table get point-in-time recovery, deletion protection and Retain, model
 * tables refuse destructive schema updates (a replaced table is an emptied one), and the user pool
 * (every login) gets deletion protection and Retain. For branch deployments; sandboxes stay
 * disposable.
 */
export function protectOrganizationData(options: {
  data: IConstruct;
  profiles: Table;
  userPool: CfnUserPool;
}): { tables: number } {
  const modelTables = options.data.node
    .findAll()
    .filter(
      (c): c is CfnResource =>
        CfnResource.isCfnResource(c) && c.cfnResourceType === 'Custom::AmplifyDynamoDBTable',
    );
  for (const table of modelTables) {
    table.addPropertyOverride('pointInTimeRecoverySpecification', {
      PointInTimeRecoveryEnabled: true,
    });
    table.addPropertyOverride('deletionProtectionEnabled', true);
    table.addPropertyOverride('allowDestructiveGraphqlSchemaUpdates', false);
    table.addPropertyOverride('replaceTableUponGsiUpdate', false);
    table.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
  const profiles = options.profiles.node.defaultChild as CfnTable;
  profiles.deletionProtectionEnabled = true;
  profiles.pointInTimeRecoverySpecification = { pointInTimeRecoveryEnabled: true };
  profiles.applyRemovalPolicy(RemovalPolicy.RETAIN);
  options.userPool.deletionProtection = 'ACTIVE';
  options.userPool.applyRemovalPolicy(RemovalPolicy.RETAIN);
  return { tables: modelTables.length + 1 };
}
