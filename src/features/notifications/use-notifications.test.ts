import { describe, expect, it } from 'vitest';
import { type Notification, unreadCount, withLive } from './use-notifications';

const at = (minute: number) => `2026-11-25T10:${String(minute).padStart(2, '0')}:00.000Z`;
const stored = (id: string, minute: number, read = false): Notification => ({
  id,
  kind: 'assignment',
  subject: `subject ${id}`,
  link: null,
  createdAt: at(minute),
  readAt: read ? at(minute + 1) : null,
});
const pushed = (id: string, minute: number) => ({
  id,
  kind: 'low-stock',
  subject: `pushed ${id}`,
  link: 'http://localhost:5173/inventory',
  createdAt: at(minute),
});

describe('withLive', () => {
  const list = [stored('c', 30, true), stored('b', 20), stored('a', 10, true)];

  it('puts a new notification first, unread', () => {
    const merged = withLive(list, pushed('d', 40));
    expect(merged.map((n) => n.id)).toEqual(['d', 'c', 'b', 'a']);
    expect(merged[0]).toMatchObject({ readAt: null, subject: 'pushed d' });
    expect(unreadCount(merged)).toBe(2);
  });

  it('keeps date order when a push arrives late', () => {
    expect(withLive(list, pushed('x', 15)).map((n) => n.id)).toEqual(['c', 'b', 'x', 'a']);
    expect(withLive(list, pushed('y', 5)).map((n) => n.id)).toEqual(['c', 'b', 'a', 'y']);
  });

  it('ignores a repeated push, keeping the read state already known', () => {
    const merged = withLive(list, pushed('c', 30));
    expect(merged).toEqual(list);
    expect(unreadCount(merged)).toBe(1);
  });

  it('keeps at most one page', () => {
    expect(withLive(list, pushed('d', 40), 3).map((n) => n.id)).toEqual(['d', 'c', 'b']);
  });
});
