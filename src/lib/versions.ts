/** A row the server versions: every write raises `version` by one. */
export type Versioned = { id: string; version: number };

/**
 * The copy of a row to show: a change can arrive after a fresher copy (a mutation's own answer,
 * a read that overtook an event), so the existing copy stays only when its version is higher.
 */
export const newer = <T extends Versioned>(existing: T | null | undefined, incoming: T): T =>
  existing !== null &&
  existing !== undefined &&
  existing.id === incoming.id &&
  existing.version > incoming.version
    ? existing
    : incoming;

/** Inserts or replaces one row by id, keeping the higher version, in the given order. */
export const upsertById = <T extends Versioned>(
  items: readonly T[],
  incoming: T,
  order: (a: T, b: T) => number,
): T[] => {
  const index = items.findIndex((item) => item.id === incoming.id);
  if (index === -1) return [...items, incoming].sort(order);
  const next = [...items];
  next[index] = newer(items[index], incoming);
  return next.sort(order);
};

/**
 * A fresh read of a whole list combined with the copy shown: the fresh rows, each kept at the
 * shown version when that is higher (a mutation's answer the read did not see yet).
 */
export const refreshById = <T extends Versioned>(shown: readonly T[], fresh: readonly T[]): T[] => {
  const byId = new Map(shown.map((item) => [item.id, item]));
  return fresh.map((item) => newer(byId.get(item.id), item));
};
