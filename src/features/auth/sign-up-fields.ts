/**
 * The sign-up form asks for a name as well as the email: Cognito's `preferred_username` (already
 * in the user pool's schema, so no pool replacement), which the post-confirmation trigger makes
 * the profile's display name.
 */
export const SIGN_UP_ATTRIBUTES = ['preferred_username'] as const;

/** Field labels and order of the sign-up form (the invitation link opens the same form). */
export const SIGN_UP_FORM_FIELDS = {
  signUp: {
    preferred_username: {
      label: 'Your name',
      placeholder: 'As your organization should see it, e.g. Ruth Miller',
      isRequired: true,
      order: 1,
    },
    email: { order: 2 },
    password: { order: 3 },
    confirm_password: { order: 4 },
  },
};
