// Replays the OULAD "B" presentations (../shared/data/oulad-b, never committed) through the
// ingest API of a running Tenure server: the events its own `to-events.mjs` writes, posted in
// batches of 500 with a few requests in flight. Message ids are stable, so a replay that was
// cut short can simply run again.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const BATCH = 500;
const IN_FLIGHT = 4;

/** The data folder, or an explanation of where to get it. */
export function ouladFolder(argument) {
  const folder = argument ?? join(process.cwd(), '..', 'shared', 'data', 'oulad-b');
  if (!existsSync(join(folder, 'to-events.mjs'))) {
    throw new Error(
      `No OULAD data at ${folder}: pass the folder that holds accounts.tsv, activity.tsv.gz and ` +
        'to-events.mjs (the repository never includes it; see docs/risk.md).',
    );
  }
  return folder;
}

async function postBatch(url, credential, batch) {
  for (let attempt = 0; ; attempt += 1) {
    const response = await fetch(`${url}/v1/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: credential },
      body: JSON.stringify({ batch }),
    });
    if (response.ok) {
      const body = await response.json();
      if (body.rejected.length > 0) {
        throw new Error(`rejected: ${JSON.stringify(body.rejected.slice(0, 3))}`);
      }
      return body;
    }
    if ((response.status === 503 || response.status === 429) && attempt < 50) {
      const wait = Number(response.headers.get('retry-after') ?? 1);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
      continue;
    }
    throw new Error(`POST /v1/batch: ${response.status} ${await response.text()}`);
  }
}

/**
 * Streams every event of the dataset into the server. `credential` is the Authorization header
 * value: revenue events (`subscription_*`) need a server-side key.
 */
export async function replayOulad({ folder, url, credential, onProgress }) {
  const child = spawn(process.execPath, [join(folder, 'to-events.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const inFlight = new Set();
  let batch = [];
  let sent = 0;
  let accepted = 0;
  let duplicates = 0;
  const send = async (events) => {
    const body = await postBatch(url, credential, events);
    accepted += body.accepted;
    duplicates += body.duplicates;
    sent += events.length;
    onProgress?.({ sent, accepted, duplicates });
  };
  for await (const line of lines) {
    batch.push(JSON.parse(line));
    if (batch.length < BATCH) continue;
    const promise = send(batch).finally(() => inFlight.delete(promise));
    inFlight.add(promise);
    batch = [];
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  if (batch.length > 0) await send(batch);
  await Promise.all(inFlight);
  return { sent, accepted, duplicates };
}
