import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';

/**
 * Grants a function a table and queries of its indexes. Amplify's model tables are imported
 * without their indexes, so `grantReadWriteData` alone allows `table/X` but not
 * `table/X/index/*` (aws-amplify/amplify-backend#3054): every index query would be AccessDenied.
 */
export function grantTable(table: ITable, fn: IFunction, access: 'read' | 'readwrite'): void {
  if (access === 'read') table.grantReadData(fn);
  else table.grantReadWriteData(fn);
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['dynamodb:Query'],
      resources: [`${table.tableArn}/index/*`],
    }),
  );
}
