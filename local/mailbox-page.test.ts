import { describe, expect, it } from 'vitest';
import type { MailMessage } from './mail';
import { linkedText, renderMailboxPage, verificationCode } from './mailbox-page';

const message = (over: Partial<MailMessage>): MailMessage => ({
  id: 'm',
  from: 'Steward <no-reply@steward.local>',
  to: ['ada@example.com'],
  cc: [],
  subject: 'Hello',
  text: 'Hi.',
  date: new Date('2026-12-03T10:00:00Z'),
  ...over,
});

describe('mailbox page', () => {
  it('shows a verification code large, above its message', () => {
    const { html } = renderMailboxPage([
      message({
        subject: 'Your Steward verification code',
        text: 'Your Steward verification code is 482913',
      }),
    ]);
    expect(html).toContain('<p class="code" title="verification code">482913</p>');
    expect(html.indexOf('482913</p>')).toBeLessThan(html.indexOf('<h3>'));
  });

  it.each([
    ['Your verification code is 123456.', '123456'],
    ['Your password reset code is 0042', '0042'],
    ['Work order WO-12 was assigned to you.', undefined],
  ])('finds the code in %j', (text, code) => {
    expect(verificationCode({ text, subject: '' })).toBe(code);
  });

  it('lists newest first, and folds the demo people’s mail under its own heading', () => {
    const { html } = renderMailboxPage([
      message({ subject: 'older', date: new Date('2026-12-01T00:00:00Z') }),
      message({ subject: 'newer', date: new Date('2026-12-02T00:00:00Z') }),
      message({ subject: 'demo invite', to: ['tech@demo.steward.local'] }),
    ]);
    expect(html.indexOf('newer')).toBeLessThan(html.indexOf('older'));
    const demo = html.indexOf('<details class="demo">');
    expect(demo).toBeGreaterThan(html.indexOf('older'));
    expect(html.indexOf('demo invite')).toBeGreaterThan(demo);
    expect(html).toContain('Demo organization (1 message to demo.steward.local)');
  });

  it('filters by recipient', () => {
    const { html } = renderMailboxPage(
      [
        message({ subject: 'for ada', to: ['ada@example.com'] }),
        message({ subject: 'for bo', to: ['bo@example.com'] }),
      ],
      { recipient: 'Bo@Example.com' },
    );
    expect(html).toContain('for bo');
    expect(html).not.toContain('for ada');
    expect(html).toContain('<option value="bo@example.com" selected>');
  });

  it('opens links in a new tab and escapes the text around them', () => {
    expect(linkedText('Open <b>https://app.local/invite?id=1&t=2</b>.')).toBe(
      'Open &lt;b&gt;<a href="https://app.local/invite?id=1&amp;t=2" target="_blank" rel="noopener noreferrer">https://app.local/invite?id=1&amp;t=2</a>&lt;/b&gt;.',
    );
  });

  it('injects nothing from a message: text escaped, an HTML body only in a sandboxed frame', () => {
    const attack = '<script>window.pwned=1</script><img src=x onerror="alert(1)">';
    const { html, headers } = renderMailboxPage([
      message({
        from: `"<script>x</script>" <a@b.c>`,
        subject: `<img src=x onerror=alert(1)>`,
        text: attack,
        html: `<p>Hi</p>${attack}"></iframe><script>alert(2)</script>`,
      }),
    ]);
    // The page's own script is the only script element, and it carries the nonce.
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(html).not.toMatch(/<img/);
    expect(html.match(/<iframe/g)).toHaveLength(1);
    expect(html.match(/<\/iframe>/g)).toHaveLength(1);
    const frame = /<iframe ([^>]*)>/.exec(html)?.[1] ?? '';
    expect(frame).toContain('sandbox="allow-popups allow-popups-to-escape-sandbox"');
    expect(frame).not.toContain('allow-scripts');
    expect(frame).not.toContain('allow-same-origin');
    expect(frame).toContain('srcdoc="&lt;!doctype html&gt;&lt;base target=&quot;_blank&quot;&gt;');
    const nonce = /<script nonce="([^"]+)">/.exec(html)?.[1];
    expect(headers['content-security-policy']).toContain(`script-src 'nonce-${nonce}'`);
  });

  it('says where codes appear when the mailbox is empty', () => {
    expect(renderMailboxPage([]).html).toContain('No messages yet');
  });
});
