import { describe, expect, it } from 'vitest';
import type { Role } from '../organizations/roles';
import { adjustmentReasonsFor } from './stock';

describe('adjustmentReasonsFor', () => {
  it.each<[Role, string[]]>([
    ['OWNER', ['RECEIVE', 'CONSUME', 'ADJUST', 'COUNT']],
    ['ADMIN', ['RECEIVE', 'CONSUME', 'ADJUST', 'COUNT']],
    ['MANAGER', ['RECEIVE', 'CONSUME', 'ADJUST', 'COUNT']],
    ['TECHNICIAN', ['CONSUME']],
    ['MEMBER', []],
    ['VIEWER', []],
  ])('gives a %s the reasons %j', (role, reasons) => {
    expect(adjustmentReasonsFor(role)).toEqual(reasons);
  });
});
