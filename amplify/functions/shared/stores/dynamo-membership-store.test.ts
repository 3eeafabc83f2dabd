import { describe, expect, it } from 'vitest';
import type { MembershipChange } from '../../../../core/ports';
import type { MemberRecord } from '../../../../core/records';
import { memberReadGroups } from '../../../../core/organizations/permissions';
import { memberWrite, organizationCountersUpdate } from './dynamo-membership-store';

const member: MemberRecord = {
  id: 'org-1#invite#zoe@example.org',
  organizationId: 'org-1',
  email: 'zoe@example.org',
  role: 'MEMBER',
  status: 'INVITED',
  inviteToken: 'secret',
  version: 3,
  createdAt: '2026-03-01T12:00:00.000Z',
  updatedAt: '2026-03-01T12:00:00.000Z',
};
const change = (patch: Partial<MembershipChange>): MembershipChange => ({
  organizationId: 'org-1',
  members: [],
  memberDelta: 0,
  ownerDelta: 0,
  at: '2026-03-02T00:00:00.000Z',
  ...patch,
});

describe('DynamoDB membership items', () => {
  it('puts a new membership only where none exists, typed, with its server-only token', () => {
    expect(memberWrite('Members', 'org-1', { before: undefined, after: member })).toEqual({
      Put: {
        TableName: 'Members',
        ConditionExpression: 'attribute_not_exists(id)',
        Item: {
          ...member,
          __typename: 'OrganizationMember',
          // Its organization's staff read it; a MEMBER of org-1 and anyone of org-evil do not.
          readGroups: [
            'org-1:OWNER',
            'org-1:ADMIN',
            'org-1:MANAGER',
            'org-1:TECHNICIAN',
            'org-1:VIEWER',
          ],
        },
      },
    });
  });

  it('derives the read groups from the organization written, never from the input', () => {
    const write = memberWrite('Members', 'org-1', {
      before: member,
      after: { ...member, organizationId: 'org-evil', readGroups: ['org-evil:MEMBER'] } as never,
    });
    expect(write.Put?.Item?.readGroups).toEqual(memberReadGroups('org-1'));
  });

  it('replaces a membership only at the version read, in the same organization', () => {
    const write = memberWrite('Members', 'org-1', {
      before: member,
      after: { ...member, organizationId: 'org-evil', version: 4 },
    });
    expect(write.Put?.ConditionExpression).toBe(
      'organizationId = :organizationId AND version = :version',
    );
    expect(write.Put?.ExpressionAttributeValues).toEqual({
      ':organizationId': 'org-1',
      ':version': 3,
    });
    // The organization is the server's, never the input's.
    expect(write.Put?.Item?.organizationId).toBe('org-1');
  });

  it('deletes a membership written before versions existed only if it is still unversioned', () => {
    const { version: _v, ...legacy } = member;
    expect(memberWrite('Members', 'org-1', { before: legacy, after: undefined })).toEqual({
      Delete: {
        TableName: 'Members',
        Key: { id: member.id },
        ConditionExpression: 'organizationId = :organizationId AND attribute_not_exists(version)',
        ExpressionAttributeValues: { ':organizationId': 'org-1' },
      },
    });
  });

  it('takes a seat only below the plan limit', () => {
    const update = organizationCountersUpdate(
      'Orgs',
      change({ memberDelta: 1, memberLimit: 5 }),
    ).Update;
    expect(update?.ConditionExpression).toBe('attribute_exists(id) AND memberCount <= :maxBefore');
    expect(update?.ExpressionAttributeValues?.[':maxBefore']).toBe(4);
  });

  it('loses an owner only while another remains (a missing count is one owner)', () => {
    const update = organizationCountersUpdate(
      'Orgs',
      change({ ownerDelta: -1, memberDelta: -1, memberLimit: 5 }),
    ).Update;
    expect(update?.ConditionExpression).toBe('attribute_exists(id) AND ownerCount >= :minBefore');
    expect(update?.ExpressionAttributeValues?.[':minBefore']).toBe(2);
    expect(update?.UpdateExpression).toContain(
      'ownerCount = if_not_exists(ownerCount, :one) + :ownerDelta',
    );
  });

  it('moves ownerId with a transfer', () => {
    const update = organizationCountersUpdate('Orgs', change({ ownerId: 'u-2' })).Update;
    expect(update?.UpdateExpression).toContain('ownerId = :ownerId');
    expect(update?.ExpressionAttributeValues?.[':ownerId']).toBe('u-2');
    expect(update?.ConditionExpression).toBe('attribute_exists(id)');
  });
});
