import { describe, expect, it } from 'vitest';
import { appPage, renderEmail } from './email-layout';

describe('renderEmail', () => {
  const parts = {
    subject: 'Line\none\u202e',
    lead: 'Something <happened> & more.',
    action: { link: 'https://app.example/x?a=1&b="2"', text: 'Open it', html: 'Open <X>' },
  };

  it('frames the text: greeting, lead, button, signature', () => {
    expect(renderEmail(parts).text).toBe(
      [
        'Hello,',
        '',
        'Something <happened> & more.',
        '',
        'Open it: https://app.example/x?a=1&b="2"',
        '',
        '',
        '— Steward',
      ].join('\n'),
    );
  });

  it('puts the subject on one line and escapes everything in the HTML', () => {
    const email = renderEmail({ ...parts, recipientName: 'Ann <a>' });
    expect(email.subject).toBe('Line one');
    expect(email.html).toBe(
      [
        '<p>Hello Ann &lt;a&gt;,</p>',
        '<p>Something &lt;happened&gt; &amp; more.</p>',
        '<p><a href="https://app.example/x?a=1&amp;b=&quot;2&quot;">Open &lt;X&gt;</a></p>',
      ].join('\n'),
    );
  });

  it('lists plain and named facts, then the note', () => {
    const email = renderEmail({
      ...parts,
      facts: ['Plain: <1>', ['Named', 'two & three']],
      note: 'Typed\nby <someone>',
    });
    expect(email.text).toContain(
      'more.\nPlain: <1>\nNamed: two & three\n\nTyped\nby <someone>\n\nOpen it:',
    );
    expect(email.html).toContain(
      '<ul><li>Plain: &lt;1&gt;</li><li><strong>Named:</strong> two &amp; three</li></ul>\n' +
        '<p>Typed\nby &lt;someone&gt;</p>',
    );
  });

  it('leaves out an empty list of facts and an empty note', () => {
    const html = renderEmail({ ...parts, facts: [], note: '' }).html;
    expect(html).not.toContain('<ul>');
    expect(html.split('\n')).toHaveLength(3);
  });

  it('ends with the closing paragraphs, one sentence a line in the text', () => {
    const email = renderEmail({ ...parts, closing: [['First.', 'Second <2>.'], ['Third.']] });
    expect(email.text).toContain('\n\nFirst.\nSecond <2>.\nThird.\n\n— Steward');
    expect(email.html).toContain('<p>First. Second &lt;2&gt;.</p>\n<p>Third.</p>');
  });

  it('says where to choose one’s emails, and why this one came when told', () => {
    const bare = renderEmail({
      ...parts,
      preferences: { link: 'https://app.example/settings', label: 'Choose' },
    });
    expect(bare.text).toContain('\n\nChoose: https://app.example/settings\n\n— Steward');
    expect(bare.html).toMatch(
      /\n<p><small><a href="https:\/\/app.example\/settings">Choose<\/a><\/small><\/p>$/,
    );
    const why = renderEmail({
      ...parts,
      preferences: { link: 'https://app.example/settings', label: 'Choose', why: 'Because.' },
    });
    expect(why.text).toContain('\n\nBecause. Choose: https://app.example/settings\n\n');
    expect(why.html).toMatch(
      /<p><small>Because\. <a href="https:\/\/app.example\/settings">Choose<\/a>\.<\/small><\/p>$/,
    );
  });
});

describe('appPage', () => {
  it('joins the app address and the path with one slash', () => {
    expect(appPage('https://app.example', '/settings')).toBe('https://app.example/settings');
    expect(appPage('https://app.example//', '/settings')).toBe('https://app.example/settings');
  });
});
