import { Logger } from '@aws-lambda-powertools/logger';
import type { PostConfirmationTriggerEvent } from 'aws-lambda';
import { env } from '$amplify/env/post-confirmation';
import type { Clock, ProfileStore } from '../../../core/ports';
import { newProfile } from '../../../core/profiles/me';
import { createDocumentClient } from '../../functions/shared/stores/dynamo-items';
import { DynamoProfileStore } from '../../functions/shared/stores/dynamo-profile-store';

/**
 * Builds the post-confirmation trigger: it writes the user's profile exactly once however often
 * Cognito retries (an existing profile is success) and returns the event, as Cognito requires.
 * Any other failure is thrown, so Cognito reports it and the `me` query can repair it later.
 */
export function createPostConfirmationHandler(
  profiles: ProfileStore,
  clock: Clock,
  logger: Logger,
) {
  return async (event: PostConfirmationTriggerEvent): Promise<PostConfirmationTriggerEvent> => {
    const attributes = event.request.userAttributes;
    const sub = attributes.sub;
    const email = attributes.email;
    if (!sub || !email) {
      // Nothing to key or address a profile by; `me` repairs it once the user has an email.
      logger.warn('confirmed user without sub or email', {
        userName: event.userName,
        triggerSource: event.triggerSource,
      });
      return event;
    }
    const profile = newProfile({
      id: sub,
      email,
      name: attributes.preferred_username ?? attributes.name,
      now: clock.now(),
    });
    const outcome = await profiles.createOnce(profile);
    logger.info('profile', { sub, outcome, triggerSource: event.triggerSource });
    return event;
  };
}

const logger = new Logger({ serviceName: 'post-confirmation' });
const profiles = new DynamoProfileStore(createDocumentClient(), env.PROFILE_TABLE);

/** The Cognito post-confirmation trigger. */
export const handler = createPostConfirmationHandler(profiles, { now: () => new Date() }, logger);
