import { generateClient } from 'aws-amplify/data';
import type { Schema } from '../../amplify/data/resource';

/**
 * The one typed GraphQL client of the app. Created at module scope: before `Amplify.configure`
 * runs it waits for the configuration event and fills in its operations then.
 */
export const client = generateClient<Schema>();

/** The schema's types, re-exported so features need not reach into `amplify/`. */
export type { Schema };
