import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';

/** The DynamoDB stream record a function receives in `event.Records`. */
export type DynamoDbStreamLambdaRecord = {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  eventSourceARN: string;
  dynamodb: {
    ApproximateCreationDateTime?: number;
    Keys?: Record<string, unknown>;
    NewImage?: Record<string, unknown>;
    OldImage?: Record<string, unknown>;
    SequenceNumber: string;
    SizeBytes?: number;
    StreamViewType?: string;
  };
  userIdentity?: unknown;
};

/** The stream records as Lambda delivers them: plain JSON, binary as base64, times in seconds. */
function toJson(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (value instanceof Date) return Math.floor(value.getTime() / 1000);
  if (Array.isArray(value)) return value.map(toJson);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key, v]) => v !== undefined && key !== '$unknown')
        .map(([key, v]) => [key, toJson(v)]),
    );
  }
  return value;
}

/** A record read from a stream, in the shape a function receives it. */
export function toLambdaRecord(
  record: StreamRecord,
  streamArn: string,
  region: string,
): DynamoDbStreamLambdaRecord {
  return {
    eventID: record.eventID ?? '',
    eventName: record.eventName as DynamoDbStreamLambdaRecord['eventName'],
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: region,
    dynamodb: toJson(record.dynamodb) as DynamoDbStreamLambdaRecord['dynamodb'],
    eventSourceARN: streamArn,
    ...(record.userIdentity ? { userIdentity: toJson(record.userIdentity) } : {}),
  };
}

/** A stream record's sequence number ('' when it has none). */
export function sequenceOf(record: StreamRecord | undefined): string {
  return record?.dynamodb?.SequenceNumber ?? '';
}

/** When a record reached the stream, as an ISO time to the second (now when unknown). */
export function arrivalOf(record: StreamRecord | undefined): string {
  const at = record?.dynamodb?.ApproximateCreationDateTime;
  return at ? at.toISOString().replace(/\.\d{3}Z$/, 'Z') : new Date().toISOString();
}

/** An error's message, or the thrown value as text. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
