import { defineAuth } from '@aws-amplify/backend';
import { postConfirmation } from './post-confirmation/resource';

/** Email sign-up with verification, sign-in and password reset; profiles made on confirmation. */
export const auth = defineAuth({
  loginWith: {
    email: {
      verificationEmailSubject: 'Your Steward verification code',
      verificationEmailBody: (code: () => string) => `Your Steward verification code is ${code()}`,
    },
  },
  userAttributes: {
    preferredUsername: { required: false, mutable: true },
  },
  accountRecovery: 'EMAIL_ONLY',
  triggers: { postConfirmation },
});
