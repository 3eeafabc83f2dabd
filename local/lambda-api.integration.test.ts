import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import AWS from 'aws-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './dynamodb';
import { functionNameOf, type LambdaApi, startLambdaApi } from './lambda-api';
import { createLambdaRunner } from './lambda-runner';
import { writeTestFunctions } from './lambda-test-functions';
import { freePort } from './process-utils';

const functions = writeTestFunctions({
  'post-confirmation': {
    code: `export const handler = async (event) => ({ ...event, response: { seen: event.userName } });`,
  },
  failing: {
    code: `export const handler = async () => { throw new RangeError('out of range'); };`,
  },
});
const runner = createLambdaRunner({ functions, environment: {} });
let api: LambdaApi;

beforeAll(async () => {
  api = await startLambdaApi({ port: await freePort(), runner });
});
afterAll(async () => {
  await api.stop();
  await runner.stop();
});

describe('lambda invoke api', () => {
  it('answers an SDK v3 Invoke with the payload', async () => {
    const client = new LambdaClient({
      endpoint: api.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const out = await client.send(
      new InvokeCommand({
        FunctionName: 'post-confirmation',
        Payload: JSON.stringify({ userName: 'ada' }),
      }),
    );
    expect(out.StatusCode).toBe(200);
    expect(out.FunctionError).toBeUndefined();
    expect(JSON.parse(Buffer.from(out.Payload ?? []).toString())).toEqual({
      userName: 'ada',
      response: { seen: 'ada' },
    });
  });

  it('marks a function error with X-Amz-Function-Error: Unhandled, as aws-sdk v2 (cognito-local) reads it', async () => {
    const lambda = new AWS.Lambda({
      endpoint: api.url,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const out = await lambda
      .invoke({ FunctionName: 'failing', InvocationType: 'RequestResponse', Payload: '{}' })
      .promise();
    expect(out.FunctionError).toBe('Unhandled');
    expect(JSON.parse(String(out.Payload))).toMatchObject({
      errorType: 'RangeError',
      errorMessage: 'out of range',
    });
  });

  it('accepts an ARN, runs Event invocations in the background and 404s unknown functions', async () => {
    const arn = `${runner.arn('post-confirmation')}:$LATEST`;
    const ok = await fetch(
      `${api.url}/2015-03-31/functions/${encodeURIComponent(arn)}/invocations`,
      {
        method: 'POST',
        body: '{"userName":"bo"}',
      },
    );
    expect(await ok.json()).toMatchObject({ response: { seen: 'bo' } });
    const event = await fetch(`${api.url}/2015-03-31/functions/post-confirmation/invocations`, {
      method: 'POST',
      headers: { 'X-Amz-Invocation-Type': 'Event' },
      body: '{}',
    });
    expect(event.status).toBe(202);
    const missing = await fetch(`${api.url}/2015-03-31/functions/nope/invocations`, {
      method: 'POST',
      body: '{}',
    });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-amzn-errortype')).toBe('ResourceNotFoundException');
  });

  it('reads function names out of ARNs', () => {
    expect(functionNameOf('arn:aws:lambda:us-east-1:000000000000:function:api:prod')).toBe('api');
    expect(functionNameOf('api')).toBe('api');
  });
});
