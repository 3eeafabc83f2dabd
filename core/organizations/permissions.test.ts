import { describe, expect, it } from 'vitest';
import { isDomainError } from '../errors';
import { ACTIONS, assertCan, can, type Action } from './permissions';
import { ROLES } from './roles';

/** The matrix of docs/PRODUCT.md, one row per action, columns in ROLES order. */
// prettier-ignore
const MATRIX: Record<Action, string> = {
  //                      OWNER ADMIN MANAGER TECHNICIAN MEMBER VIEWER
  'organization.delete':   'Y     .     .       .          .      .',
  'organization.transfer': 'Y     .     .       .          .      .',
  'members.read':          'Y     Y     Y       Y          .      Y',
  'members.invite':        'Y     Y     .       .          .      .',
  'members.changeRole':    'Y     Y     .       .          .      .',
  'members.remove':        'Y     Y     .       .          .      .',
  'members.suspend':       'Y     Y     .       .          .      .',
  'settings.update':       'Y     Y     .       .          .      .',
  'workOrders.submit':     'Y     Y     Y       Y          Y      .',
  'workOrders.readAll':    'Y     Y     Y       Y          .      Y',
  'workOrders.assign':     'Y     Y     Y       .          .      .',
  'workOrders.take':       'Y     Y     Y       Y          .      .',
  'workOrders.progress':   'Y     Y     Y       Y          .      .',
  'workOrders.close':      'Y     Y     Y       .          .      .',
  'workOrders.cancelOwn':  'Y     Y     Y       Y          Y      .',
  'workOrders.cancelAny':  'Y     Y     Y       .          .      .',
  'inventory.adjust':      'Y     Y     Y       .          .      .',
  'inventory.use':         'Y     Y     Y       Y          .      .',
  'reports.read':          'Y     Y     Y       .          .      Y',
  'comments.add':          'Y     Y     Y       Y          Y      .',
};

const cases = ACTIONS.flatMap((action) => {
  const cells = MATRIX[action].split(/\s+/);
  return ROLES.map((role, i) => [role, action, cells[i] === 'Y'] as const);
});

describe('permissions', () => {
  it('has a matrix row with one cell per role for every action', () => {
    for (const action of ACTIONS) expect(MATRIX[action].split(/\s+/)).toHaveLength(ROLES.length);
  });

  it.each(cases)('%s may %s: %s', (role, action, allowed) => {
    expect(can(role, action)).toBe(allowed);
    if (allowed) {
      expect(() => assertCan(role, action)).not.toThrow();
    } else {
      let thrown: unknown;
      try {
        assertCan(role, action);
      } catch (err) {
        thrown = err;
      }
      expect(isDomainError(thrown, 'FORBIDDEN')).toBe(true);
    }
  });

  it('lets a VIEWER change nothing', () => {
    const writes = ACTIONS.filter(
      (a) => !['workOrders.readAll', 'members.read', 'reports.read'].includes(a),
    );
    expect(writes.filter((a) => can('VIEWER', a))).toEqual([]);
  });
});
