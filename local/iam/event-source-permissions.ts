import type { CloudAssembly } from '../assembly';
import { LOCAL_ACCOUNT } from '../cloud-assembly';
import { LocalRuntimeError } from '../process-utils';
import type { Permission } from './dynamodb-permissions';
import { evaluatePolicy } from './policy';

/**
 * What Lambda checks when it creates a DynamoDB stream event source mapping: the function's role
 * may describe and read the stream and list streams (CreateEventSourceMapping fails with "Cannot
 * access stream … Please ensure the role can perform the GetRecords, GetShardIterator,
 * DescribeStream, and ListStreams Actions on your stream"), and may send to the on-failure
 * destination queue. The problems found, in AWS's words; none means the mappings would deploy.
 */
export function eventSourceMappingProblems(assembly: CloudAssembly, region: string): string[] {
  const problems: string[] = [];
  for (const mapping of assembly.eventSourceMappings) {
    const fn = assembly.functions.find((f) => f.name === mapping.functionName);
    const policy = fn?.policy ?? [];
    const stream = `arn:aws:dynamodb:${region}:${LOCAL_ACCOUNT}:table/${mapping.tableName}/stream/local`;
    const needed: Permission[] = [
      ...['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream'].map(
        (action) => ({ action, resource: stream }),
      ),
      { action: 'dynamodb:ListStreams', resource: '*' },
    ];
    const missing = needed.filter((p) => evaluatePolicy(policy, p.action, p.resource) !== 'allow');
    if (missing.length > 0) {
      problems.push(
        `Cannot access stream ${stream} for function ${mapping.functionName}. Please ensure the role can perform the GetRecords, GetShardIterator, DescribeStream, and ListStreams Actions on your stream (missing: ${missing.map((m) => m.action).join(', ')}).`,
      );
    }
    if (mapping.onFailureDestination) {
      const queue = mapping.onFailureDestination;
      if (evaluatePolicy(policy, 'sqs:SendMessage', queue) !== 'allow') {
        problems.push(
          `The role of function ${mapping.functionName} may not send to its on-failure destination ${queue} (sqs:SendMessage).`,
        );
      }
    }
  }
  return problems;
}

/** Stops the start, as a failed deployment would, when a mapping could not be created on AWS. */
export function assertEventSourceMappingsDeployable(assembly: CloudAssembly, region: string): void {
  const problems = eventSourceMappingProblems(assembly, region);
  if (problems.length > 0) {
    throw new LocalRuntimeError(
      `AWS would refuse to create ${problems.length === 1 ? 'a stream mapping' : 'stream mappings'} of this backend:\n  ${problems.join('\n  ')}`,
      'Grant the function its stream and queue permissions in amplify/backend.ts (DynamoEventSource does when given the table).',
    );
  }
}
