import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import path from 'node:path';
import { renderMailboxPage } from './mailbox-page';
import { assertPortFree, LocalRuntimeError } from './process-utils';

/** One message as the mailbox shows it. */
export type MailMessage = {
  id: string;
  from: string;
  to: string[];
  cc: string[];
  subject: string;
  text?: string;
  html?: string;
  date: Date;
};

/**
 * Fault switches of the local SES emulator, for the resilience tests. They exist only in this
 * process: nothing reachable over HTTP turns them on, and AWS has no counterpart.
 */
export type MailFaults = {
  /** Every send (SendEmail, SendRawEmail, SendBulkEmail) answers 503 for the next `ms`. */
  failSendsFor: (ms: number) => void;
  /**
   * Called with the number of each send as it arrives (1, 2, …, counted from this call);
   * `'drop'` closes the connection without storing the message or answering. `undefined` clears.
   */
  beforeSend: (hook: ((count: number) => 'accept' | 'drop') | undefined) => void;
  /** How many sends failSendsFor refused so far. */
  refused: () => number;
};

/** The running SES emulator. */
export type Mail = {
  /** The mailbox a person opens in a browser. */
  url: string;
  /** Endpoint for SES v1 and v2 SDK clients (SendEmail, SendRawEmail, SendBulkEmail). */
  endpoint: string;
  faults: MailFaults;
  stop: () => Promise<void>;
};

/** A message as aws-ses-v2-local stores it (its `Email` type, the part this module reads). */
type StoredEmail = {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { html?: string; text?: string };
  at: number;
};

type SesStoreModule = {
  saveEmail: (email: StoredEmail) => void;
  clearStore: () => void;
  getStoreReadonly: () => { emails: StoredEmail[] };
};

const require = createRequire(import.meta.url);
const MAIL_FILE = 'mail.jsonl';

/** aws-ses-v2-local keeps one mailbox per Node process, so one emulator may run at a time. */
let running = false;

/**
 * Starts aws-ses-v2-local in this process. With a dataDirectory, every received message is also
 * appended to `mail.jsonl` there and loaded back on the next start, so mail survives restarts
 * (clearing the mailbox in its UI clears the file too).
 */
export async function startMail(options: {
  port: number;
  host?: string;
  dataDirectory?: string;
}): Promise<Mail> {
  if (running) {
    throw new LocalRuntimeError(
      'The SES emulator is already running in this process.',
      'Stop the running one first: aws-ses-v2-local keeps a single, process-wide mailbox.',
    );
  }
  const host = options.host ?? '127.0.0.1';
  // The package is CommonJS and calls its store through the module object, which is what lets
  // the save and clear functions be wrapped here without forking the package.
  const store = require('aws-ses-v2-local/dist/store.js') as SesStoreModule;
  const startServer = (
    require('aws-ses-v2-local') as {
      default: (config: { host: string; port: number }) => Promise<Server>;
    }
  ).default;

  const file = options.dataDirectory ? path.join(options.dataDirectory, MAIL_FILE) : undefined;
  store.clearStore();
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    if (existsSync(file)) {
      const emails = store.getStoreReadonly().emails;
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        try {
          emails.push(JSON.parse(line) as StoredEmail);
        } catch {
          // A line cut short by a crash mid-write: the rest of the mailbox is still good.
        }
      }
    }
  }
  const originalSave = store.saveEmail;
  const originalClear = store.clearStore;
  if (file) {
    store.saveEmail = (email) => {
      originalSave(email);
      appendFileSync(file, `${JSON.stringify(email)}\n`);
    };
    store.clearStore = () => {
      originalClear();
      writeFileSync(file, '');
    };
  }

  let server: Server;
  try {
    // aws-ses-v2-local does not report listen errors (they surface as uncaught): check first.
    await assertPortFree(options.port, 'SES emulator', host);
    server = await startServer({ host, port: options.port });
  } catch (err) {
    store.saveEmail = originalSave;
    store.clearStore = originalClear;
    throw err;
  }
  running = true;
  const faults = installFaults(server, (req, res) =>
    serveMailboxPage(req, res, () => store.getStoreReadonly().emails.map(toMessage)),
  );
  const { port } = server.address() as AddressInfo;
  const url = `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`;
  return {
    url,
    endpoint: url,
    faults,
    stop: () =>
      new Promise<void>((resolve) => {
        store.saveEmail = originalSave;
        store.clearStore = originalClear;
        server.closeAllConnections();
        server.close(() => {
          running = false;
          resolve();
        });
      }),
  };
}

/** The send operations of SES v1 (query protocol on `/`) and v2. */
const isSend = (req: http.IncomingMessage): boolean =>
  req.method === 'POST' &&
  ['/', '/v2/email/outbound-emails', '/v2/email/outbound-bulk-emails'].includes(
    new URL(req.url ?? '/', 'http://localhost').pathname,
  );

/**
 * Answers `GET /` with Steward's mailbox page instead of the emulator's own viewer (`?to=`
 * filters by recipient); every other path (`/store`, the send endpoints) is the emulator's.
 */
function serveMailboxPage(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  messages: () => MailMessage[],
): boolean {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!['GET', 'HEAD'].includes(req.method ?? '') || !['/', '/index.html'].includes(url.pathname)) {
    return false;
  }
  const page = renderMailboxPage(messages(), {
    recipient: url.searchParams.get('to') ?? undefined,
  });
  res.writeHead(200, page.headers).end(req.method === 'HEAD' ? undefined : page.html);
  return true;
}

/** Puts Steward's page and the fault switches in front of the emulator's own request handling. */
function installFaults(
  server: Server,
  page: (req: http.IncomingMessage, res: http.ServerResponse) => boolean,
): MailFaults {
  const handlers = server.listeners('request') as ((
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ) => void)[];
  server.removeAllListeners('request');
  let failUntil = 0;
  let refused = 0;
  let hook: ((count: number) => 'accept' | 'drop') | undefined;
  let count = 0;
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (page(req, res)) return;
    if (isSend(req)) {
      if (Date.now() < failUntil) {
        refused += 1;
        req.resume();
        res
          .writeHead(503, {
            'content-type': 'application/json',
            'x-amzn-ErrorType': 'ServiceUnavailableException',
          })
          .end('{"message":"Service unavailable (local fault switch)"}');
        return;
      }
      count += 1;
      if (hook?.(count) === 'drop') {
        req.resume();
        req.socket.destroy();
        return;
      }
    }
    for (const handler of handlers) handler.call(server, req, res);
  });
  return {
    failSendsFor: (ms) => {
      failUntil = Date.now() + ms;
    },
    beforeSend: (next) => {
      hook = next;
      count = 0;
    },
    refused: () => refused,
  };
}

/** Reads every message in the mailbox at url (the emulator's `GET /store`), oldest first. */
export async function readMailbox(url: string): Promise<MailMessage[]> {
  // node:http without keep-alive: a pooled fetch socket can outlive an emulator restart.
  const text = await new Promise<string>((resolve, reject) => {
    http
      .get(new URL('/store', url), { agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(Buffer.concat(chunks).toString('utf8'))
            : reject(
                new LocalRuntimeError(
                  `The mailbox at ${url} answered ${res.statusCode}.`,
                  'Check that the SES emulator is running.',
                ),
              ),
        );
      })
      .on('error', (err) =>
        reject(
          new LocalRuntimeError(
            `The mailbox at ${url} did not answer.`,
            'Check that the SES emulator is running.',
            { cause: err },
          ),
        ),
      );
  });
  const body = JSON.parse(text) as { emails: StoredEmail[] };
  return body.emails.map(toMessage);
}

const toMessage = (email: StoredEmail): MailMessage => ({
  id: email.messageId,
  from: email.from,
  to: email.destination.to,
  cc: email.destination.cc,
  subject: email.subject,
  ...(email.body.text !== undefined ? { text: email.body.text } : {}),
  ...(email.body.html !== undefined ? { html: email.body.html } : {}),
  date: new Date(email.at * 1000),
});
