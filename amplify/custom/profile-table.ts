import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import type { IConstruct } from 'constructs';

/**
 * The user-profile table, created in the auth stack beside the post-confirmation trigger that
 * writes it. A model table would live in the data stack, and auth → data → auth is a cycle.
 */
export function createProfileTable(authScope: IConstruct): Table {
  return new Table(Stack.of(authScope), 'ProfileTable', {
    partitionKey: { name: 'id', type: AttributeType.STRING },
    billingMode: BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
