import type { _Record as StreamRecord } from '@aws-sdk/client-dynamodb-streams';

/** An INSERT stream record with sequence number `n` (zero-padded, so they sort) and key `r<n>`. */
export function streamRecord(n: number): StreamRecord {
  return {
    eventID: `e${n}`,
    eventName: 'INSERT',
    dynamodb: {
      SequenceNumber: String(n).padStart(6, '0'),
      Keys: { id: { S: `r${n}` } },
      ApproximateCreationDateTime: new Date(1_700_000_000_000 + n * 1000),
    },
  };
}

/** The numbers of the records, back from their sequence numbers. */
export function numbersOf(records: StreamRecord[]): number[] {
  return records.map((r) => Number(r.dynamodb?.SequenceNumber));
}
