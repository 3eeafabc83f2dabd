import { randomBytes } from 'node:crypto';
import { escapeHtml } from '../core/notifications/escape-html';
import type { MailMessage } from './mail';

/** The domain of the demo people: their mail is folded away under its own heading. */
export const DEMO_MAIL_DOMAIN = '@demo.steward.local';

/**
 * The verification code of a message, if it carries one: digits a few words after "code"
 * (Cognito's "Your Steward verification code is 123456", a reset code alike).
 */
export function verificationCode(message: Pick<MailMessage, 'text' | 'html' | 'subject'>) {
  const text = message.text ?? stripTags(message.html ?? '');
  return /\bcode\b[^\d\n]{0,40}?\b(\d{4,8})\b/i.exec(text)?.[1];
}

const stripTags = (html: string): string => html.replace(/<[^>]*>/g, ' ');

/** A message's text with its web addresses as links that open in a new tab; all else escaped. */
export function linkedText(text: string): string {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g)) {
    const index = match.index;
    html += escapeHtml(text.slice(last, index));
    const url = escapeHtml(match[0]);
    html += `<a href="${url}" target="_blank" rel="noopener noreferrer">${url}</a>`;
    last = index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
}

const isDemo = (message: MailMessage): boolean =>
  message.to.length > 0 && message.to.every((to) => to.toLowerCase().endsWith(DEMO_MAIL_DOMAIN));

const timeOf = (date: Date): string => date.toISOString().replace('T', ' ').slice(0, 19) + ' UTC';

/**
 * An HTML body, shown in a sandboxed frame: no script runs, nothing reaches this page, and its
 * links open in a new tab (the base target, and popups allowed out of the sandbox).
 */
function htmlFrame(html: string): string {
  const document = `<!doctype html><base target="_blank"><meta charset="utf-8">${html}`;
  return (
    `<details class="html"><summary>HTML version</summary>` +
    `<iframe sandbox="allow-popups allow-popups-to-escape-sandbox" referrerpolicy="no-referrer" ` +
    `title="HTML version" srcdoc="${escapeHtml(document)}"></iframe></details>`
  );
}

function messageCard(message: MailMessage): string {
  const code = verificationCode(message);
  const body =
    message.text !== undefined
      ? `<pre class="text">${linkedText(message.text)}</pre>`
      : message.html === undefined
        ? '<p class="empty">(no text)</p>'
        : '';
  return [
    `<article class="message">`,
    code ? `<p class="code" title="verification code">${escapeHtml(code)}</p>` : '',
    `<h3>${escapeHtml(message.subject || '(no subject)')}</h3>`,
    `<dl>`,
    `<dt>From</dt><dd>${escapeHtml(message.from)}</dd>`,
    `<dt>To</dt><dd>${escapeHtml([...message.to, ...message.cc].join(', '))}</dd>`,
    `<dt>Time</dt><dd><time datetime="${escapeHtml(message.date.toISOString())}">${timeOf(message.date)}</time></dd>`,
    `</dl>`,
    body,
    message.html !== undefined ? htmlFrame(message.html) : '',
    `</article>`,
  ].join('');
}

/** What the page is asked to show. */
export type MailboxView = {
  /** Only messages to (or copied to) this address. */
  recipient?: string;
};

/** The mailbox page and the headers it must be served with. */
export type MailboxPage = { html: string; headers: Record<string, string> };

/**
 * Steward's local mailbox: newest first, each message with its sender, recipients, subject, time
 * and text, a verification code large at the top, links opening in a new tab, a filter by
 * recipient, the demo people's mail folded under its own heading. Message content is escaped;
 * an HTML body is shown only in a sandboxed frame, and the page's policy lets no other script
 * run. It polls the emulator's `store` (relative, so it also works behind the app's /mailbox
 * proxy) and reloads when a message arrives.
 */
export function renderMailboxPage(messages: MailMessage[], view: MailboxView = {}): MailboxPage {
  const nonce = randomBytes(16).toString('base64');
  const recipient = view.recipient?.trim().toLowerCase() || undefined;
  const newestFirst = [...messages].sort((a, b) => b.date.getTime() - a.date.getTime());
  const shown = recipient
    ? newestFirst.filter((m) => [...m.to, ...m.cc].some((to) => to.toLowerCase() === recipient))
    : newestFirst;
  const yours = shown.filter((m) => !isDemo(m));
  const demo = shown.filter(isDemo);
  const recipients = [...new Set(messages.flatMap((m) => [...m.to, ...m.cc]))].sort();

  const filter = [
    `<form class="filter" method="get" action="">`,
    `<label>Recipient <select name="to">`,
    `<option value="">everyone</option>`,
    ...recipients.map(
      (to) =>
        `<option value="${escapeHtml(to)}"${to.toLowerCase() === recipient ? ' selected' : ''}>${escapeHtml(to)}</option>`,
    ),
    `</select></label> <button type="submit">Show</button>`,
    `</form>`,
  ].join('');

  const sections = [
    yours.length
      ? yours.map(messageCard).join('')
      : `<p class="empty">${recipient ? `No messages to ${escapeHtml(recipient)}.` : 'No messages yet. Sign up in the web app: the verification code arrives here.'}</p>`,
    demo.length
      ? `<details class="demo"><summary>Demo organization (${demo.length} ${demo.length === 1 ? 'message' : 'messages'} to ${escapeHtml(DEMO_MAIL_DOMAIN.slice(1))})</summary>${demo.map(messageCard).join('')}</details>`
      : '',
  ].join('');

  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Steward mailbox</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 56rem; padding: 1rem; color: #1f2328; }
  header { display: flex; flex-wrap: wrap; gap: 1rem; align-items: baseline; justify-content: space-between; }
  h1 { font-size: 1.4rem; margin: 0.5rem 0; }
  .message { border: 1px solid #d0d7de; border-radius: 8px; padding: 0.75rem 1rem; margin: 0.75rem 0; }
  .message h3 { margin: 0 0 0.25rem; font-size: 1.05rem; }
  .code { font: 700 2.2rem/1.1 ui-monospace, monospace; letter-spacing: 0.2em; margin: 0 0 0.5rem; color: #0a3069; user-select: all; }
  dl { display: grid; grid-template-columns: max-content 1fr; gap: 0 0.75rem; margin: 0 0 0.5rem; color: #57606a; font-size: 0.9rem; }
  dt { font-weight: 600; } dd { margin: 0; overflow-wrap: anywhere; }
  .text { white-space: pre-wrap; font: inherit; margin: 0; overflow-wrap: anywhere; }
  iframe { width: 100%; min-height: 16rem; border: 1px solid #d0d7de; border-radius: 4px; background: #fff; }
  details.demo > summary { cursor: pointer; font-weight: 600; margin-top: 1.5rem; }
  .empty { color: #57606a; }
</style>
</head>
<body>
<header><h1>Steward mailbox</h1>${filter}<button type="button" id="clear">Clear mailbox</button></header>
<p class="empty">Every email Steward sends on this machine, newest first. It updates itself.</p>
<main>${sections}</main>
<script nonce="${nonce}">
  let known = ${messages.length};
  document.getElementById('clear').addEventListener('click', async () => {
    if (!confirm('Delete every message in the local mailbox?')) return;
    await fetch('clear-store', { method: 'POST' });
    location.reload();
  });
  setInterval(async () => {
    try {
      const store = await (await fetch('store')).json();
      if (store.emails.length !== known) location.reload();
    } catch {}
  }, 3000);
</script>
</body>
</html>
`;
  return {
    html,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      // Only this page's own script runs; the HTML bodies' frames inherit this policy as well.
      'content-security-policy': [
        "default-src 'none'",
        `script-src 'nonce-${nonce}'`,
        "style-src 'unsafe-inline'",
        'img-src * data:',
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
        "base-uri 'self'",
      ].join('; '),
    },
  };
}
