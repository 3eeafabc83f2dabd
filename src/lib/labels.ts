/** Turns an enum value such as `IN_PROGRESS` into words for people: "In progress". */
export const humanize = (value: string): string => {
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
};
