import { describe, expect, it } from 'vitest';
import type { WorkOrderRecord } from '../../../../core/records';
import { cancellationCodes, isConditionFailed, typed, untyped } from './dynamo-items';
import { slugClaimId } from './dynamo-organization-store';
import { STATUS_CREATED_AT, workOrderItem } from './dynamo-items';

const named = (name: string, message = '', extra: object = {}) =>
  Object.assign(new Error(message), { name }, extra);

describe('DynamoDB items', () => {
  it('stores a work order with its typename and the status#createdAt index key', () => {
    const workOrder = {
      id: 'wo-1',
      status: 'ASSIGNED',
      createdAt: '2026-03-01T12:00:00.000Z',
    } as WorkOrderRecord;
    expect(workOrderItem(workOrder)).toEqual({
      id: 'wo-1',
      status: 'ASSIGNED',
      createdAt: '2026-03-01T12:00:00.000Z',
      __typename: 'WorkOrder',
      'status#createdAt': 'ASSIGNED#2026-03-01T12:00:00.000Z',
    });
  });

  it('strips storage-only attributes when reading back', () => {
    const item = { ...typed('WorkOrder', { id: 'wo-1' }), [STATUS_CREATED_AT]: 'x' };
    expect(untyped(item, STATUS_CREATED_AT)).toEqual({ id: 'wo-1' });
    expect(untyped(undefined)).toBeUndefined();
  });

  it('keeps slug claims apart from organization ids', () => {
    expect(slugClaimId('grace-chapel')).toBe('slug#grace-chapel');
    expect(slugClaimId('x').startsWith('org-')).toBe(false);
  });

  it.each([
    [
      named('TransactionCanceledException', '', {
        CancellationReasons: [{ Code: 'ConditionalCheckFailed' }, { Code: 'None' }],
      }),
      ['ConditionalCheckFailed', 'None'],
    ],
    [
      named(
        'TransactionCanceledException',
        'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]',
      ),
      ['None', 'ConditionalCheckFailed'],
    ],
    [named('ValidationException', 'bad [x]'), undefined],
    ['not an error', undefined],
  ])('reads transaction cancellation codes (%#)', (err, codes) => {
    expect(cancellationCodes(err)).toEqual(codes);
  });

  it('recognises a failed condition only by its name', () => {
    expect(isConditionFailed(named('ConditionalCheckFailedException'))).toBe(true);
    expect(isConditionFailed(named('ThrottlingException'))).toBe(false);
  });
});
