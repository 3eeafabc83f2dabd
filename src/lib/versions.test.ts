import { describe, expect, it } from 'vitest';
import { newer, refreshById, upsertById } from './versions';

const row = (id: string, version: number, at = id) => ({ id, version, at });
const byAt = (a: { at: string }, b: { at: string }) => a.at.localeCompare(b.at);

describe('newer', () => {
  it('keeps the existing copy only when its version is higher', () => {
    expect(newer(row('a', 3), row('a', 2))).toEqual(row('a', 3));
    expect(newer(row('a', 3), row('a', 3, 'x'))).toEqual(row('a', 3, 'x'));
    expect(newer(row('a', 2), row('a', 3))).toEqual(row('a', 3));
  });

  it('takes the incoming copy of another row or when nothing is shown', () => {
    expect(newer(row('a', 9), row('b', 1))).toEqual(row('b', 1));
    expect(newer(null, row('b', 1))).toEqual(row('b', 1));
    expect(newer(undefined, row('b', 1))).toEqual(row('b', 1));
  });
});

describe('upsertById', () => {
  it('inserts a new row in order', () => {
    expect(upsertById([row('a', 1), row('c', 1)], row('b', 1), byAt).map((r) => r.id)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });

  it('replaces a row by a newer version and ignores an older one', () => {
    const shown = [row('a', 2), row('b', 5)];
    expect(upsertById(shown, row('b', 6, 'b2'), byAt)[1]).toEqual(row('b', 6, 'b2'));
    expect(upsertById(shown, row('b', 4, 'b0'), byAt)[1]).toEqual(row('b', 5));
  });

  it('applies the same change twice as once', () => {
    const once = upsertById([row('a', 1)], row('b', 1), byAt);
    expect(upsertById(once, row('b', 1), byAt)).toEqual(once);
  });
});

describe('refreshById', () => {
  it('takes the fresh rows, drops rows the read no longer has, keeps higher shown versions', () => {
    const shown = [row('a', 3), row('b', 1), row('gone', 1)];
    const fresh = [row('a', 2), row('b', 2), row('new', 1)];
    expect(refreshById(shown, fresh)).toEqual([row('a', 3), row('b', 2), row('new', 1)]);
  });
});
