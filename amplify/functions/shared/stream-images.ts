import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

/** An item image as a plain object; nothing in it is trusted to exist. */
export type StreamImage = Readonly<Record<string, unknown>>;

const imageOf = (image: unknown): StreamImage | undefined =>
  image ? unmarshall(image as Record<string, AttributeValue>) : undefined;

/**
 * The item before and after the change a DynamoDB stream record carries, as plain objects:
 * no old image for an insert, no new image for a removal.
 */
export const streamImages = (
  record: DynamoDBRecord,
): { oldImage: StreamImage | undefined; newImage: StreamImage | undefined } => ({
  oldImage: imageOf(record.dynamodb?.OldImage),
  newImage: imageOf(record.dynamodb?.NewImage),
});

let sequence = 0;

/**
 * The stream record of a change from `oldImage` to `newImage` (either absent), as DynamoDB
 * delivers it, each with its own sequence number: what the stream handlers' tests feed them.
 */
export const streamRecord = (
  oldImage: object | undefined,
  newImage: object | undefined,
): DynamoDBRecord => {
  sequence += 1;
  const image = (item: object) => marshall(item, { removeUndefinedValues: true }) as never;
  return {
    eventID: `e-${sequence}`,
    eventName: !newImage ? 'REMOVE' : oldImage ? 'MODIFY' : 'INSERT',
    dynamodb: {
      SequenceNumber: String(sequence),
      ...(oldImage ? { OldImage: image(oldImage) } : {}),
      ...(newImage ? { NewImage: image(newImage) } : {}),
    },
  };
};
