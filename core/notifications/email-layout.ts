import { escapeHtml, oneLine } from './escape-html';

/** A line of an email's list of facts: plain, or named (the name set in bold in HTML). */
export type EmailFact = string | readonly [name: string, value: string];

/**
 * What one email says, for `renderEmail` to lay out: every Steward email has the same frame —
 * greeting, lead, facts, a paragraph typed by a person, the link button, closing paragraphs, the
 * line about choosing one's emails and, in the text, the signature.
 */
export type EmailParts = {
  subject: string;
  /** Who is greeted: "Hello Ann," — or "Hello," when the name is not known. */
  recipientName?: string;
  lead: string;
  facts?: readonly EmailFact[];
  /** A paragraph someone typed (a description, completion notes), shown after the facts. */
  note?: string;
  /** The link button: `${text}: ${link}` in the text, `html` as the anchor in HTML. */
  action: { link: string; text: string; html: string };
  /** Paragraphs after the button, each a list of sentences (one a line in the text). */
  closing?: readonly (readonly string[])[];
  /** Where to choose one's emails, and why this one came (then the link ends that sentence). */
  preferences?: { link: string; label: string; why?: string };
};

/** A rendered email: subject and the plain-text and HTML bodies. */
export type RenderedEmail = { subject: string; html: string; text: string };

/** A rendered email and the web-app address it points to (kept on its in-app notification). */
export type EmailContent = RenderedEmail & { link: string };

/** A page of the web app at `appUrl`, whatever slashes that address ends with. */
export const appPage = (appUrl: string, path: string): string =>
  `${appUrl.replace(/\/+$/, '')}${path}`;

const factLine = (fact: EmailFact): string =>
  typeof fact === 'string' ? fact : `${fact[0]}: ${fact[1]}`;

const factItem = (fact: EmailFact): string =>
  typeof fact === 'string'
    ? `<li>${escapeHtml(fact)}</li>`
    : `<li><strong>${escapeHtml(fact[0])}:</strong> ${escapeHtml(fact[1])}</li>`;

/** Lays out an email: the subject on one safe line, everything typed escaped in the HTML. */
export function renderEmail(parts: EmailParts): RenderedEmail {
  const { action, preferences } = parts;
  const facts = parts.facts ?? [];
  const closing = parts.closing ?? [];
  const greeting = parts.recipientName ? `Hello ${parts.recipientName},` : 'Hello,';
  const text = [
    greeting,
    '',
    parts.lead,
    ...facts.map(factLine),
    ...(parts.note ? ['', parts.note] : []),
    '',
    `${action.text}: ${action.link}`,
    '',
    ...closing.flat(),
    ...(preferences
      ? [`${preferences.why ? `${preferences.why} ` : ''}${preferences.label}: ${preferences.link}`]
      : []),
    '',
    '— Steward',
  ].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    `<p>${escapeHtml(parts.lead)}</p>`,
    facts.length ? `<ul>${facts.map(factItem).join('')}</ul>` : '',
    parts.note ? `<p>${escapeHtml(parts.note)}</p>` : '',
    `<p><a href="${escapeHtml(action.link)}">${escapeHtml(action.html)}</a></p>`,
    ...closing.map((sentences) => `<p>${sentences.map(escapeHtml).join(' ')}</p>`),
    preferences ? preferencesLine(preferences) : '',
  ]
    .filter(Boolean)
    .join('\n');
  return { subject: oneLine(parts.subject), html, text };
}

/** The small print: why the email came, if said, and the link to choose one's emails. */
function preferencesLine({ link, label, why }: NonNullable<EmailParts['preferences']>): string {
  const anchor = `<a href="${escapeHtml(link)}">${escapeHtml(label)}</a>`;
  return why
    ? `<p><small>${escapeHtml(why)} ${anchor}.</small></p>`
    : `<p><small>${anchor}</small></p>`;
}
