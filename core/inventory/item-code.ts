/**
 * Item codes (the `sku` field) made for people who leave the code blank: readable, derived from
 * the name, and claimed through the same per-organization uniqueness as a typed code.
 */

/** What an item code may contain: it is printed on labels and typed into searches. */
export const ITEM_CODE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

/** The longest item code. */
export const ITEM_CODE_MAX = 64;

/** The longest stem taken from a name; the suffix "-<n>" comes on top. */
export const CODE_STEM_MAX = 20;

/** How many numbered codes are tried ("FURNACE-FILTER", "-2" … "-<this>") before the id's. */
export const NUMBERED_CODE_ATTEMPTS = 20;

/** The stem when a name has no letter or digit to build one from. */
export const FALLBACK_STEM = 'ITEM';

/**
 * The stem of an item code: the name's words in upper case, accents dropped, joined by "-",
 * cut at a word boundary to at most {@link CODE_STEM_MAX} characters. "Furnace filter, 20×25"
 * gives "FURNACE-FILTER-20-25"; a name with no letter or digit gives "ITEM".
 */
export function itemCodeStem(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter((word) => word !== '');
  let stem = '';
  for (const word of words) {
    const next = stem === '' ? word : `${stem}-${word}`;
    if (next.length > CODE_STEM_MAX) {
      // One very long first word is cut; later words that do not fit are left out.
      if (stem === '') stem = word.slice(0, CODE_STEM_MAX);
      break;
    }
    stem = next;
  }
  return stem === '' ? FALLBACK_STEM : stem;
}

/**
 * The codes to try for a new item, in order: the stem, then "-2", "-3" … up to
 * {@link NUMBERED_CODE_ATTEMPTS} codes, then one from the item's own id (unique per item), so an
 * organization with many items of one name still gets a code in a bounded number of claims.
 * Each is only a candidate: the store's claim decides whether it is free.
 */
export function itemCodeCandidates(name: string, itemId: string): string[] {
  const stem = itemCodeStem(name);
  const numbered = Array.from({ length: NUMBERED_CODE_ATTEMPTS }, (_, i) =>
    i === 0 ? stem : `${stem}-${i + 1}`,
  );
  const idPart = itemId
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(-8)
    .toUpperCase();
  return [...numbered, `${stem}-${idPart || 'X'}`];
}
