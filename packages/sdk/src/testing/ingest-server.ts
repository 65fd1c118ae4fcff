import type { Message } from '@tenure/schema';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';

export const TEST_HOST = 'https://tenure.test';

/** One request the fake ingestion API received. */
export interface ReceivedRequest {
  /** Fake-clock time of arrival. */
  at: number;
  raw: string;
  batch: Message[];
  sentAt: string | undefined;
  writeKey: string | undefined;
  authorization: string | null;
  contentType: string | null;
}

/** Decides the answer to the n-th request (1-based); undefined means a normal 200. */
export type Responder = (request: ReceivedRequest, n: number) => Response | undefined;

/**
 * The SDK's view of the network: msw answers `POST /v1/batch` like the real server (200 with
 * `{ accepted, duplicates, rejected }`, deduplicating by messageId), unless a test scripts
 * other answers.
 */
export function ingestServer() {
  const requests: ReceivedRequest[] = [];
  const stored = new Map<string, Message>();
  let duplicates = 0;
  let responder: Responder = () => undefined;

  const server = setupServer(
    http.post(`${TEST_HOST}/v1/batch`, async ({ request }) => {
      const raw = await request.text();
      const envelope = JSON.parse(raw) as { batch: Message[]; sentAt?: string; writeKey?: string };
      const received: ReceivedRequest = {
        at: Date.now(),
        raw,
        batch: envelope.batch,
        sentAt: envelope.sentAt,
        writeKey: envelope.writeKey,
        authorization: request.headers.get('authorization'),
        contentType: request.headers.get('content-type'),
      };
      requests.push(received);
      const scripted = responder(received, requests.length);
      if (scripted) return scripted;
      let repeated = 0;
      for (const message of envelope.batch) {
        if (stored.has(message.messageId ?? '')) repeated++;
        else stored.set(message.messageId ?? '', message);
      }
      duplicates += repeated;
      const accepted = envelope.batch.length - repeated;
      return HttpResponse.json({ accepted, duplicates: repeated, rejected: [] });
    }),
  );

  return {
    server,
    requests,
    /** Messages committed, once each (by messageId), in arrival order. */
    stored: () => [...stored.values()],
    /** Events delivered again after an earlier request had them stored: sent twice. */
    duplicates: () => duplicates,
    /** Every messageId sent, with repeats: a retry shows up twice here, not in `stored`. */
    sentIds: () => requests.flatMap((request) => request.batch.map((m) => m.messageId)),
    respondWith(next: Responder) {
      responder = next;
    },
    reset() {
      requests.length = 0;
      stored.clear();
      duplicates = 0;
      responder = () => undefined;
    },
  };
}

export type IngestServer = ReturnType<typeof ingestServer>;

/** An error body in the server's shape. */
export function errorResponse(status: number, code: string, message: string, headers = {}) {
  return HttpResponse.json({ error: { code, message } }, { status, headers });
}
