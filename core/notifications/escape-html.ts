/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export const escapeHtml = (value: string): string =>
  value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/**
 * Control characters (line breaks included) and the invisible marks that reorder text — bidi
 * embeddings, overrides and isolates — which could disguise what a subject line says.
 */
const UNSAFE_IN_A_LINE =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text that people typed, made safe for one displayed line: an email subject. */
export const oneLine = (value: string): string =>
  value.replace(UNSAFE_IN_A_LINE, ' ').replace(/\s+/g, ' ').trim();
