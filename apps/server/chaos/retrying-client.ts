/** Every answer a chaos client saw, by status (`network` for a refused or cut connection). */
export type StatusCounts = Record<string, number>;

export const count = (counts: StatusCounts, status: number | 'network') => {
  counts[status] = (counts[status] ?? 0) + 1;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends a batch until a 2xx, as the SDKs do: retrying 429 and 503 after Retry-After (capped at
 * `maxWaitMs` to keep the suite short) and network errors after a short pause. Anything else is
 * counted and ends the attempt: the suite then fails on the unexpected status.
 */
export async function sendUntilAcked(
  url: () => string,
  authorization: string,
  batch: object[],
  counts: StatusCounts,
  options: { maxWaitMs?: number; deadline: number },
): Promise<{ accepted: number; duplicates: number } | undefined> {
  while (Date.now() < options.deadline) {
    let response: Response;
    try {
      response = await fetch(`${url()}/v1/batch`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ batch }),
      });
    } catch {
      count(counts, 'network');
      await sleep(100);
      continue;
    }
    count(counts, response.status);
    const body = (await response.json().catch(() => ({}))) as {
      accepted: number;
      duplicates: number;
    };
    if (response.ok) return body;
    if (response.status !== 503 && response.status !== 429) return undefined;
    const retryAfter = Number(response.headers.get('retry-after') ?? 1) * 1000;
    await sleep(Math.min(retryAfter, options.maxWaitMs ?? 300));
  }
  return undefined;
}
