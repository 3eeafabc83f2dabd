import { SendEmailCommand, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail } from '../../../../core/ports';

/** Sends email through SES v2 (the local runtime points AWS_ENDPOINT_URL_SESV2 at its emulator). */
export class SesMailer implements Mailer {
  constructor(private readonly ses: SESv2Client) {}

  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    const result = await this.ses.send(
      new SendEmailCommand({
        FromEmailAddress: email.from,
        Destination: { ToAddresses: [email.to] },
        Content: {
          Simple: {
            Subject: { Data: email.subject, Charset: 'UTF-8' },
            Body: {
              Html: { Data: email.html, Charset: 'UTF-8' },
              Text: { Data: email.text, Charset: 'UTF-8' },
            },
          },
        },
      }),
    );
    if (!result.MessageId) throw new Error('SES accepted the email without a MessageId');
    return { messageId: result.MessageId };
  }
}
