import type { IConstruct } from 'constructs';

/**
 * What kind of deployment is being synthesized: `branch` for `ampx pipeline-deploy` (Amplify
 * Hosting or CI: an organization's real data), `sandbox` for `ampx sandbox` and the local runtime.
 */
export type DeploymentType = 'branch' | 'sandbox';

export function deploymentTypeOf(scope: IConstruct): DeploymentType {
  return scope.node.tryGetContext('amplify-backend-type') === 'branch' ? 'branch' : 'sandbox';
}

/** A setting missing or wrong for this deployment; the message says what to set. */
export class DeploymentSettingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentSettingError';
  }
}

/** Where Steward's email comes from and where its links lead. */
export type MailSettings = {
  /** The From header: `Steward <steward@parish.org>` or a bare address. */
  from: string;
  /** The bare sending address. */
  fromAddress: string;
  /** The web app's address, for links in emails. */
  appUrl: string;
  /** A domain to verify as an SES identity with Easy DKIM, instead of the address alone. */
  domain?: string;
  /** Cognito sends its codes through SES from `from` (the identity must be verified first). */
  cognitoThroughSes: boolean;
};

const SANDBOX_DEFAULTS = { from: 'steward@example.com', appUrl: 'http://localhost:5173' };
const ADDRESS = /^[^\s@<>]+@([^\s@<>]+\.[^\s@<>]+)$/;

/**
 * Reads STEWARD_MAIL_FROM, STEWARD_APP_URL, STEWARD_MAIL_DOMAIN and STEWARD_COGNITO_EMAIL_VIA_SES.
 * A branch deployment refuses to synthesize without a sender and an app URL: it would deploy a
 * backend whose every email is refused by SES or links to localhost.
 */
export function mailSettingsFrom(
  environment: Record<string, string | undefined>,
  type: DeploymentType,
): MailSettings {
  const missing = (name: string, example: string) =>
    new DeploymentSettingError(
      `${name} is not set. A branch deployment sends real email, so set ${name} (for example ${example}) ` +
        'in the build environment (Amplify Hosting: App settings → Environment variables) and deploy again. ' +
        'See "Deploy to AWS" in README.md.',
    );
  const from = environment.STEWARD_MAIL_FROM?.trim() || undefined;
  const appUrl = environment.STEWARD_APP_URL?.trim() || undefined;
  if (type === 'branch' && !from)
    throw missing('STEWARD_MAIL_FROM', '"Steward <steward@parish.org>"');
  if (type === 'branch' && !appUrl)
    throw missing('STEWARD_APP_URL', 'https://maintenance.parish.org');
  const sender = from ?? SANDBOX_DEFAULTS.from;
  const fromAddress = (/<([^>]+)>\s*$/.exec(sender)?.[1] ?? sender).trim().toLowerCase();
  const senderDomain = ADDRESS.exec(fromAddress)?.[1];
  if (!senderDomain) {
    throw new DeploymentSettingError(
      `STEWARD_MAIL_FROM is "${sender}", which is not an email address. Use "Name <address>" or an address.`,
    );
  }
  const url = appUrl ?? SANDBOX_DEFAULTS.appUrl;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DeploymentSettingError(`STEWARD_APP_URL is "${url}", which is not a URL.`);
  }
  if (type === 'branch' && parsed.protocol !== 'https:') {
    throw new DeploymentSettingError(
      `STEWARD_APP_URL is "${url}": a branch deployment's links must use https.`,
    );
  }
  const domain = environment.STEWARD_MAIL_DOMAIN?.trim().toLowerCase() || undefined;
  if (domain && domain !== senderDomain) {
    throw new DeploymentSettingError(
      `STEWARD_MAIL_DOMAIN is ${domain} but STEWARD_MAIL_FROM sends from ${senderDomain}; they must be the same domain.`,
    );
  }
  return {
    from: sender,
    fromAddress,
    appUrl: url.replace(/\/+$/, ''),
    domain,
    cognitoThroughSes: environment.STEWARD_COGNITO_EMAIL_VIA_SES === 'true',
  };
}
