import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  DynamoDBDocumentClient,
  GetCommand,
  ScanCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { localDynamoDbClient } from '../../local/dynamodb';
import { graphql, graphqlOk, LocalCognito } from '../../local/graphql-client';
import { autoPorts as ports } from '../../local/main';
import { type RuntimeProcess, startRuntimeProcess } from './support/runtime-process';

const PASSWORD = 'Test-pass-123';
const EMAIL = 'owner@crash.example';
const WRITERS = 8;
/** How long the load runs at least before the kill. */
const LOAD_MS = 8_000;
const FIELDS = 'id number title status version';
const SUBMIT = `mutation S($o: ID!, $title: String!) { submitWorkOrder(organizationId: $o, title: $title) { ${FIELDS} } }`;
const MOVE = `mutation M($id: ID!, $to: WorkOrderStatus!, $v: Int!, $note: String) { transitionWorkOrder(id: $id, to: $to, expectedVersion: $v, note: $note) { ${FIELDS} } }`;

type WorkOrder = { id: string; number: number; title: string; status: string; version: number };
type Outcome = 'acknowledged' | 'refused' | 'unknown';
type Write =
  | { kind: 'submit'; title: string; outcome: Outcome; result?: WorkOrder; errorType?: string }
  | {
      kind: 'transition';
      workOrderId: string;
      note: string;
      stale: boolean;
      outcome: Outcome;
      result?: WorkOrder;
      errorType?: string;
    };

describe('crash: kill -9 of the runtime and DynamoDB Local under load', () => {
  const dataDirectory = mkdtempSync(path.join(os.tmpdir(), 'steward-crash-'));
  let running: RuntimeProcess | undefined;
  const writes: Write[] = [];

  afterAll(async () => {
    await running?.stop();
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('every acknowledged write is there after the restart, and no refused one', async () => {
    running = await startRuntimeProcess(dataDirectory, await ports());
    let { info } = running;
    const cognito = new LocalCognito(info.urls.cognito, info.userPoolId, info.userPoolClientId);
    await cognito.createConfirmedUser(EMAIL, PASSWORD);
    let token = (await cognito.signIn(EMAIL, PASSWORD)).accessToken;
    const organizationId = (
      await graphqlOk<{ createOrganization: { id: string } }>(
        info.urls.graphql,
        token,
        'mutation { createOrganization(name: "Crash Test Chapel") { id } }',
      )
    ).createOrganization.id;
    token = (await cognito.signIn(EMAIL, PASSWORD)).accessToken;
    // The load submits more work orders than the free plan's month allows.
    const setup = DynamoDBDocumentClient.from(localDynamoDbClient(info.urls.dynamodb));
    await setup.send(
      new UpdateCommand({
        TableName: info.tables.Organization,
        Key: { id: organizationId },
        UpdateExpression: 'SET #plan = :plan',
        ExpressionAttributeNames: { '#plan': 'plan' },
        ExpressionAttributeValues: { ':plan': 'ENTERPRISE' },
      }),
    );
    setup.destroy();

    let killed = false;
    const graphqlUrl = info.urls.graphql;
    /** Sends one write and records what the caller was told; a write in flight at the kill is unknown. */
    const send = async <T>(query: string, variables: Record<string, unknown>) => {
      try {
        const response = await graphql<T>(graphqlUrl, token, query, variables);
        if (killed) return { outcome: 'unknown' as const };
        const error = response.errors?.[0];
        if (error) return { outcome: 'refused' as const, errorType: error.errorType ?? 'untyped' };
        return { outcome: 'acknowledged' as const, data: response.data };
      } catch {
        return { outcome: 'unknown' as const };
      }
    };
    const submit = async (title: string) => {
      const answer = await send<{ submitWorkOrder: WorkOrder }>(SUBMIT, {
        o: organizationId,
        title,
      });
      const result = answer.data?.submitWorkOrder;
      writes.push({
        kind: 'submit',
        title,
        outcome: answer.outcome,
        result,
        errorType: answer.errorType,
      });
      return result;
    };
    // Each writer works on its own work orders, so the only refusals are the deliberate ones.
    const owned = await Promise.all(
      Array.from({ length: WRITERS }, async (_, index) => {
        const mine: WorkOrder[] = [];
        for (const n of [1, 2]) {
          const result = await submit(`crash w${index} setup ${n}`);
          if (result) mine.push(result);
        }
        return mine;
      }),
    );
    const writer = async (index: number) => {
      const mine = owned[index] ?? [];
      for (let i = 1; !killed; i += 1) {
        if (i % 6 === 0) {
          const result = await submit(`crash w${index} #${i}`);
          if (result) mine.push(result);
          continue;
        }
        const slot = i % mine.length;
        const current = mine[slot] as WorkOrder;
        // Every other change is sent with a stale version on purpose: it must be refused.
        const stale = i % 2 === 0 && current.version > 1;
        const note = `w${index} #${i}${stale ? ' stale' : ''}`;
        const to =
          current.status === 'NEW'
            ? 'ASSIGNED'
            : current.status === 'IN_PROGRESS'
              ? 'ON_HOLD'
              : 'IN_PROGRESS';
        const answer = await send<{ transitionWorkOrder: WorkOrder }>(MOVE, {
          id: current.id,
          to,
          v: stale ? current.version - 1 : current.version,
          note,
        });
        const result = answer.data?.transitionWorkOrder;
        writes.push({
          kind: 'transition',
          workOrderId: current.id,
          note,
          stale,
          outcome: answer.outcome,
          result,
          errorType: answer.errorType,
        });
        if (result) mine[slot] = result;
      }
    };
    const load = Promise.all(Array.from({ length: WRITERS }, (_, i) => writer(i)));
    // At least LOAD_MS, and until enough has been acknowledged and refused to judge (≤ 40 s).
    const loadStarted = Date.now();
    const tally = (outcome: Outcome) => writes.filter((w) => w.outcome === outcome).length;
    while (
      Date.now() - loadStarted < LOAD_MS ||
      ((tally('acknowledged') < 40 || tally('refused') < 10) && Date.now() - loadStarted < 40_000)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const loadMs = Date.now() - loadStarted;
    killed = true;
    expect(await running.kill()).toEqual({ dynamoDbKilled: true });
    await load;
    running = undefined;

    const count = tally;
    console.log(
      `crash: ${writes.length} writes by ${WRITERS} writers in ${(loadMs / 1000).toFixed(1)} s, then kill -9: ` +
        `${count('acknowledged')} acknowledged, ${count('refused')} refused, ${count('unknown')} in flight`,
    );
    expect(count('acknowledged')).toBeGreaterThanOrEqual(40);
    expect(count('refused')).toBeGreaterThanOrEqual(10);
    // Refusals are the deliberate stale versions, nothing else.
    for (const write of writes.filter((w) => w.outcome === 'refused')) {
      expect(write).toMatchObject({ kind: 'transition', stale: true, errorType: 'CONFLICT' });
    }

    const restarted = Date.now();
    running = await startRuntimeProcess(dataDirectory, await ports());
    info = running.info;
    console.log(
      `crash: restarted on the same data in ${((Date.now() - restarted) / 1000).toFixed(1)} s`,
    );
    const documents = DynamoDBDocumentClient.from(localDynamoDbClient(info.urls.dynamodb));
    try {
      const scan = async (table: string) => {
        const items: Record<string, unknown>[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          const page = await documents.send(
            new ScanCommand({ TableName: table, ExclusiveStartKey: start, ConsistentRead: true }),
          );
          items.push(...(page.Items ?? []));
          start = page.LastEvaluatedKey;
        } while (start);
        return items;
      };
      const workOrders = await scan(info.tables.WorkOrder ?? '');
      const notes = new Set((await scan(info.tables.WorkOrderEvent ?? '')).map((e) => e.note));

      for (const write of writes) {
        if (write.outcome === 'unknown') continue;
        if (write.kind === 'submit') {
          const result = write.result as WorkOrder;
          const { Item } = await documents.send(
            new GetCommand({
              TableName: info.tables.WorkOrder,
              Key: { id: result.id },
              ConsistentRead: true,
            }),
          );
          expect(Item, write.title).toMatchObject({ title: write.title, number: result.number });
        } else if (write.outcome === 'acknowledged') {
          expect(notes.has(write.note), write.note).toBe(true);
          const stored = workOrders.find((w) => w.id === write.workOrderId);
          expect(Number(stored?.version)).toBeGreaterThanOrEqual(write.result?.version ?? Infinity);
        } else {
          expect(notes.has(write.note), write.note).toBe(false);
        }
      }
      // Numbers stay unique through the crash.
      const numbers = workOrders.map((w) => w.number);
      expect(new Set(numbers).size).toBe(numbers.length);

      // And the person carries on: signs in, reads, writes.
      const after = new LocalCognito(info.urls.cognito, info.userPoolId, info.userPoolClientId);
      const session = await after.signIn(EMAIL, PASSWORD);
      const next = await graphqlOk<{ submitWorkOrder: WorkOrder }>(
        info.urls.graphql,
        session.accessToken,
        SUBMIT,
        {
          o: organizationId,
          title: 'after the crash',
        },
      );
      // The next number follows the highest stored one; only a submission that died with the
      // runtime, after taking its number, can have left a gap.
      const diedInFlight = writes.filter((w) => w.kind === 'submit' && w.outcome === 'unknown');
      const highest = Math.max(...numbers.map(Number));
      expect(next.submitWorkOrder.number).toBeGreaterThan(highest);
      expect(next.submitWorkOrder.number).toBeLessThanOrEqual(highest + 1 + diedInFlight.length);
    } finally {
      documents.destroy();
    }
  }, 420_000);
});
