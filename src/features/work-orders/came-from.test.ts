import { describe, expect, it } from 'vitest';
import { MAX_TITLE_LENGTH } from '../../../core/work-orders/vocabulary';
import { backLinkFor, cameFromState } from './came-from';
import { splitTitle } from './RequestForm';

describe('the back link of a work order’s page', () => {
  it('leads to the page it was opened from, with its filters, named as the menu names it', () => {
    expect(backLinkFor(cameFromState({ pathname: '/my-work', search: '' }), true)).toEqual({
      to: '/my-work',
      label: 'My work',
    });
    expect(
      backLinkFor(cameFromState({ pathname: '/work-orders', search: '?view=list&q=tap' }), true),
    ).toEqual({ to: '/work-orders?view=list&q=tap', label: 'Work orders' });
    // A requester's list is called "My requests" in the menu.
    expect(backLinkFor(cameFromState({ pathname: '/', search: '' }), false)).toEqual({
      to: '/',
      label: 'My requests',
    });
  });

  it('falls back to the work-order list without a known origin (a bookmark, an email link)', () => {
    for (const state of [null, undefined, 'x', { cameFrom: 3 }, { cameFrom: { pathname: 'x' } }]) {
      expect(backLinkFor(state, true)).toEqual({ to: '/work-orders', label: 'Work orders' });
    }
    expect(backLinkFor(cameFromState({ pathname: '/somewhere', search: '' }), true)).toEqual({
      to: '/work-orders',
      label: 'Work orders',
    });
  });
});

describe('splitTitle', () => {
  it('keeps a title that fits', () => {
    expect(splitTitle('Leaking tap')).toEqual(['Leaking tap', '']);
  });

  it('cuts a long title between words and keeps every word', () => {
    const long = 'The boiler knocks loudly every morning. '.repeat(16).trim();
    const [title, rest] = splitTitle(long);
    expect(title.length).toBeLessThanOrEqual(MAX_TITLE_LENGTH);
    expect(`${title} ${rest}`).toBe(long);
  });

  it('cuts a single overlong word at the limit', () => {
    const [title, rest] = splitTitle('x'.repeat(MAX_TITLE_LENGTH + 5));
    expect(title).toHaveLength(MAX_TITLE_LENGTH);
    expect(rest).toHaveLength(5);
  });
});
