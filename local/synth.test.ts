import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './paths';
import { backendHash } from './synth';

describe('backendHash', () => {
  it('is the same for the same sources and settings', () => {
    expect(backendHash(PROJECT_ROOT, {})).toBe(backendHash(PROJECT_ROOT, {}));
  });

  it('changes with a build setting the backend reads', () => {
    const plain = backendHash(PROJECT_ROOT, {});
    expect(backendHash(PROJECT_ROOT, { STEWARD_MAIL_FROM: 'facilities@example.org' })).not.toBe(
      plain,
    );
    expect(backendHash(PROJECT_ROOT, { STEWARD_RATE_LIMIT_PER_5_MIN: 'off' })).not.toBe(plain);
  });

  it('ignores settings only the local runtime reads', () => {
    expect(backendHash(PROJECT_ROOT, { STEWARD_PORT_BASE: '30000', HOME: '/elsewhere' })).toBe(
      backendHash(PROJECT_ROOT, {}),
    );
  });
});
