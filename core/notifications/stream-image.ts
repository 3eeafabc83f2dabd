/** A stream image as a plain object (already unmarshalled); nothing in it is trusted to exist. */
export type Image = Readonly<Record<string, unknown>>;

/** A field of an image that is a non-empty string, else undefined. */
export const text = (image: Image | undefined, key: string): string | undefined => {
  const value = image?.[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
};

/** A field of an image that is a whole number, else undefined. */
export const integer = (image: Image | undefined, key: string): number | undefined => {
  const value = image?.[key];
  return typeof value === 'number' && Number.isInteger(value) ? value : undefined;
};
