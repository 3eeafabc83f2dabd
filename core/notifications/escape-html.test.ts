import { describe, expect, it } from 'vitest';
import { escapeHtml, oneLine } from './escape-html';
import { buildEmail } from './rules';

describe('oneLine', () => {
  it.each([
    [
      'line breaks and tabs',
      'Leak\r\nBcc: everyone@example.org\tnow',
      'Leak Bcc: everyone@example.org now',
    ],
    ['a right-to-left override', 'invoice\u202Efdp.exe', 'invoice fdp.exe'],
    ['bidi isolates and marks', '\u2067Boiler\u2069 \u200Froom\u200E', 'Boiler room'],
    ['a null byte', 'Fuse\u0000box', 'Fuse box'],
  ])('removes %s', (_label, input, expected) => {
    expect(oneLine(input)).toBe(expected);
  });

  it('keeps the scripts and symbols people write', () => {
    expect(oneLine('Chauffe-eau 💧 — غرفة المرجل · 锅炉房')).toBe(
      'Chauffe-eau 💧 — غرفة المرجل · 锅炉房',
    );
  });
});

describe('escapeHtml', () => {
  it('escapes markup and both quotes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});

describe('email subjects from typed text', () => {
  it('carry no line break or reordering mark from a work order title', () => {
    const { subject } = buildEmail({
      kind: 'WORK_ORDER_ASSIGNED',
      workOrder: { id: 'wo-1', number: 3, title: 'Sink\nBcc: x@example.org \u202Etxt.exe' },
      appUrl: 'http://localhost:5173',
    });
    expect(subject).toBe('WO-3 assigned to you: Sink Bcc: x@example.org txt.exe');
  });
});
