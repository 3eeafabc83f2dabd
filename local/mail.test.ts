import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb';
import { readMailbox, startMail } from './mail';
import { freePort } from './process-utils';

describe('mail', () => {
  it('captures SES v2 and v1 SendEmail and keeps the mailbox across a restart', async () => {
    const dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'steward-mail-'));
    const port = await freePort();
    const mail = await startMail({ port, dataDirectory });
    const v2 = new SESv2Client({
      endpoint: mail.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    await v2.send(
      new SendEmailCommand({
        FromEmailAddress: 'steward@example.com',
        Destination: { ToAddresses: ['ada@example.com'] },
        Content: {
          Simple: {
            Subject: { Data: 'Work order WO-1 assigned' },
            Body: {
              Text: { Data: 'Please look at WO-1.' },
              Html: { Data: '<p>Please look at WO-1.</p>' },
            },
          },
        },
      }),
    );
    // SES v1 speaks the query protocol; @aws-sdk/client-ses is not a dependency, so post the form.
    const v1 = await fetch(mail.endpoint, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Authorization: 'AWS4-HMAC-SHA256 Credential=local/20250101/us-east-1/ses/aws4_request',
      },
      body: new URLSearchParams({
        Action: 'SendEmail',
        Source: 'steward@example.com',
        'Destination.ToAddresses.member.1': 'bo@example.com',
        'Message.Subject.Data': 'Low stock',
        'Message.Body.Text.Data': 'Filters are low.',
      }),
    });
    expect(v1.status).toBe(200);

    const before = await readMailbox(mail.url);
    expect(before).toHaveLength(2);
    expect(before[0]).toMatchObject({
      from: 'steward@example.com',
      to: ['ada@example.com'],
      subject: 'Work order WO-1 assigned',
      text: 'Please look at WO-1.',
      html: '<p>Please look at WO-1.</p>',
    });
    expect(before[0]?.date).toBeInstanceOf(Date);
    expect(before[1]).toMatchObject({
      to: ['bo@example.com'],
      subject: 'Low stock',
      text: 'Filters are low.',
    });
    expect((await fetch(mail.url)).headers.get('content-type')).toContain('text/html');

    await mail.stop();
    const again = await startMail({ port, dataDirectory });
    try {
      expect(await readMailbox(again.url)).toEqual(before);
    } finally {
      await again.stop();
      v2.destroy();
    }
  });

  it('fault switches: sends fail with 503 for a while, or one is dropped unanswered', async () => {
    const mail = await startMail({ port: await freePort() });
    const ses = new SESv2Client({
      endpoint: mail.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    const send = (subject: string) =>
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'steward@example.com',
          Destination: { ToAddresses: ['ada@example.com'] },
          Content: { Simple: { Subject: { Data: subject }, Body: { Text: { Data: 'x' } } } },
        }),
      );
    try {
      mail.faults.failSendsFor(300);
      const refused = (await send('during').catch((err: unknown) => err)) as {
        $metadata?: { httpStatusCode?: number };
      };
      expect(refused.$metadata?.httpStatusCode).toBe(503);
      expect(mail.faults.refused()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 350));
      await send('after');
      mail.faults.beforeSend((count) => (count === 2 ? 'drop' : 'accept'));
      await send('first');
      await expect(send('dropped')).rejects.toThrow();
      mail.faults.beforeSend(undefined);
      expect((await readMailbox(mail.url)).map((m) => m.subject)).toEqual(['after', 'first']);
    } finally {
      ses.destroy();
      await mail.stop();
    }
  });

  it("serves Steward's mailbox page at its URL, the emulator's API beside it", async () => {
    const mail = await startMail({ port: await freePort() });
    const ses = new SESv2Client({
      endpoint: mail.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'steward@example.com',
          Destination: { ToAddresses: ['ada@example.com'] },
          Content: {
            Simple: {
              Subject: { Data: 'Your Steward verification code' },
              Body: {
                Text: { Data: 'Your Steward verification code is 731904' },
                Html: { Data: '<p>Code <b>731904</b></p><script>parent.pwned = 1</script>' },
              },
            },
          },
        }),
      );
      const page = await fetch(mail.url);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'nonce-");
      const html = await page.text();
      expect(html).toContain('<title>Steward mailbox</title>');
      expect(html).toContain('<p class="code" title="verification code">731904</p>');
      expect(html).not.toContain('<script>parent.pwned');
      expect(html).toContain('&lt;script&gt;parent.pwned = 1&lt;/script&gt;');
      expect(await (await fetch(`${mail.url}/?to=bo@example.com`)).text()).not.toContain('731904');
      expect((await readMailbox(mail.url)).map((m) => m.subject)).toEqual([
        'Your Steward verification code',
      ]);
    } finally {
      ses.destroy();
      await mail.stop();
    }
  });

  it('refuses a port that is taken with a clear error', async () => {
    const port = await freePort();
    const mail = await startMail({ port });
    try {
      await expect(startMail({ port })).rejects.toThrow(/already running|in use/);
    } finally {
      await mail.stop();
    }
  });
});
