import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { CfnUserPool } from 'aws-cdk-lib/aws-cognito';
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { EmailIdentity, Identity } from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import type { MailSettings } from './deployment';

/**
 * The SES identity Steward sends from: a domain with Easy DKIM when STEWARD_MAIL_DOMAIN is set
 * (its three DKIM CNAME records are stack outputs to add at the DNS host), otherwise the sending
 * address alone (SES emails it a verification link on the first deploy). Returns its ARN.
 */
export function createSenderIdentity(scope: Construct, mail: MailSettings): string {
  const stack = Stack.of(scope);
  const name = mail.domain ?? mail.fromAddress;
  if (mail.domain) {
    const identity = new EmailIdentity(scope, 'SenderDomain', {
      identity: Identity.domain(mail.domain),
    });
    identity.dkimRecords.forEach((record, i) => {
      new CfnOutput(scope, `SenderDkimRecord${i + 1}`, {
        description: `DKIM CNAME ${i + 1} of 3 for ${mail.domain}: add it at your DNS host`,
        value: `${record.name} CNAME ${record.value}`,
      });
    });
  } else {
    new EmailIdentity(scope, 'SenderAddress', { identity: Identity.email(mail.fromAddress) });
  }
  return stack.formatArn({ service: 'ses', resource: 'identity', resourceName: name });
}

/** Lets a function send email from the sender identity, and from nothing else. */
export function grantSendFrom(fn: IFunction, identityArn: string): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      effect: Effect.ALLOW,
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [identityArn],
    }),
  );
}

/**
 * Sends Cognito's own emails (verification codes, password resets) through SES from Steward's
 * sender instead of Cognito's default sender, which allows about 50 a day. SES refuses this
 * configuration until the identity is verified, so it is switched on by a setting.
 */
export function sendCognitoEmailThroughSes(
  userPool: CfnUserPool,
  mail: MailSettings,
  identityArn: string,
): void {
  userPool.emailConfiguration = {
    emailSendingAccount: 'DEVELOPER',
    from: mail.from,
    sourceArn: identityArn,
  };
}
