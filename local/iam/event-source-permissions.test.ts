import { beforeAll, describe, expect, it } from 'vitest';
import type { CloudAssembly } from '../assembly';
import { readCloudAssembly } from '../cloud-assembly';
import { PROJECT_ROOT, SYNTH_CACHE } from '../paths';
import { synthesize } from '../synth';
import { eventSourceMappingProblems } from './event-source-permissions';

describe('stream mappings as Lambda checks them on creation', () => {
  let assembly: CloudAssembly;
  beforeAll(async () => {
    const { directory } = await synthesize({ root: PROJECT_ROOT, cacheDirectory: SYNTH_CACHE });
    assembly = readCloudAssembly(directory);
  });

  it('finds nothing wrong with the synthesized backend', () => {
    expect(assembly.eventSourceMappings.length).toBeGreaterThanOrEqual(3);
    expect(eventSourceMappingProblems(assembly, 'us-east-1')).toEqual([]);
  });

  it('refuses a mapping whose function may not read its stream or send to its queue', () => {
    const withoutStreams: CloudAssembly = {
      ...assembly,
      functions: assembly.functions.map((fn) => ({
        ...fn,
        policy: (fn.policy ?? []).filter(
          (s) =>
            !(s.actions ?? []).some(
              (a) => a === 'dynamodb:GetShardIterator' || a === 'sqs:SendMessage',
            ),
        ),
      })),
    };
    const problems = eventSourceMappingProblems(withoutStreams, 'us-east-1');
    expect(problems.length).toBe(assembly.eventSourceMappings.length * 2);
    expect(problems[0]).toMatch(
      /^Cannot access stream .*WorkOrder.*\(missing: dynamodb:GetRecords, dynamodb:GetShardIterator, dynamodb:DescribeStream\)/,
    );
    expect(problems[1]).toMatch(/may not send to its on-failure destination/);
  });
});
