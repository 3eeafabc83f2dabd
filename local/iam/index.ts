import type { CloudAssembly } from '../assembly';
import { LOCAL_ACCOUNT } from '../cloud-assembly';
import { LOCAL_REGION } from '../dynamodb';
import { startCommitBarrier } from '../dynamodb-proxy';
import { startHttpGate } from '../http-gate';
import { cognitoAuthorizer, dynamoDbAuthorizer, sesAuthorizer, tableArnOf } from './gates';
import type { Principals } from './principals';

/** The endpoints the backend's functions are given for DynamoDB, SES and Cognito. */
export type IamGates = {
  dynamoDb: string;
  mail: string;
  cognito: string;
  stop: () => Promise<void>;
};

/**
 * Starts one gate per service in front of the emulators. Each authorizes a function's call
 * against its role's synthesized policy; the DynamoDB gate is also the commit barrier.
 */
export async function startIamGates(options: {
  assembly: CloudAssembly;
  principals: Principals;
  dynamoDb: string;
  mail: string;
  cognito: string;
}): Promise<IamGates> {
  const { principals } = options;
  const region = LOCAL_REGION;
  const dynamoDb = await startCommitBarrier(options.dynamoDb, {
    refuse: dynamoDbAuthorizer(principals, tableArnOf(region, LOCAL_ACCOUNT)),
  });
  const mail = await startHttpGate(options.mail, {
    refuse: sesAuthorizer(
      principals,
      options.assembly.emailIdentities ?? [],
      (identity) => `arn:aws:ses:${region}:${LOCAL_ACCOUNT}:identity/${identity}`,
      region,
    ),
  });
  const cognito = await startHttpGate(options.cognito, {
    refuse: cognitoAuthorizer(
      principals,
      (userPoolId) => `arn:aws:cognito-idp:${region}:${LOCAL_ACCOUNT}:userpool/${userPoolId}`,
    ),
  });
  return {
    dynamoDb: dynamoDb.endpoint,
    mail: mail.endpoint,
    cognito: cognito.endpoint,
    stop: async () => {
      await Promise.all([dynamoDb.stop(), mail.stop(), cognito.stop()]);
    },
  };
}
