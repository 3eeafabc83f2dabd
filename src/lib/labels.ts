/** Enum values that are acronyms, written as such rather than as a word. */
const ACRONYMS = new Set(['HVAC']);

/** Turns an enum value such as `IN_PROGRESS` into words for people: "In progress". */
export const humanize = (value: string): string => {
  if (ACRONYMS.has(value)) return value;
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
