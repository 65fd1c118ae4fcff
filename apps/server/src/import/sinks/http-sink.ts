import { type IngestResult, LIMITS } from '@tenure/schema';
import { ImportError } from '../import-error.js';
import type { ImportSink } from './import-sink.js';

const MAX_NETWORK_ATTEMPTS = 8;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Seconds from a `Retry-After` header (seconds or an HTTP date), else `fallback`. */
function retryAfterSeconds(header: string | null, fallback: number): number {
  if (!header) return fallback;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(seconds, 0);
  const date = Date.parse(header);
  return Number.isFinite(date) ? Math.max((date - Date.now()) / 1000, 0) : fallback;
}

/**
 * A remote Tenure server's `POST /v1/batch` with a key (HTTP Basic, the key as user name).
 * 429 and 503 are waited out as `Retry-After` says, as often as they come (the server is
 * alive and pacing us); network failures are retried with backoff a few times. Any other
 * refusal of the whole batch (a bad key, 400) stops the import with the server's words.
 */
export class HttpSink implements ImportSink {
  readonly destination: string;
  // Typical events are 300-1,000 bytes: 500 of them stay under the 500 KB request limit, and a
  // batch of larger ones is split in two until it fits.
  readonly batchEvents = 500;
  /**
   * Calls stored without their revenue traits (mrr, seats, …) because the key is the public
   * write key: the server says so in `ignoredTraits`, the CLI tells the user after the import.
   */
  callsWithoutRevenueTraits = 0;
  private readonly endpoint: string;
  private readonly authorization: string;

  /** `onWait` hears each 429/503 waited out (the CLI logs it; tests count them). */
  constructor(
    url: string,
    key: string,
    private readonly onWait: (status: number, seconds: number) => void = () => {},
  ) {
    this.endpoint = new URL('/v1/batch', url).toString();
    this.destination = `url:${this.endpoint}`;
    this.authorization = `Basic ${Buffer.from(`${key}:`).toString('base64')}`;
  }

  async send(batch: readonly Record<string, unknown>[]): Promise<IngestResult> {
    const body = JSON.stringify({ batch });
    if (Buffer.byteLength(body) > LIMITS.maxRequestBytes && batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      const first = await this.send(batch.slice(0, half));
      const second = await this.send(batch.slice(half));
      return {
        accepted: first.accepted + second.accepted,
        duplicates: first.duplicates + second.duplicates,
        rejected: [
          ...first.rejected,
          ...second.rejected.map((refusal) => ({ ...refusal, index: refusal.index + half })),
        ],
      };
    }
    return this.post(body);
  }

  private async post(body: string): Promise<IngestResult> {
    let networkFailures = 0;
    for (;;) {
      let response: Response;
      try {
        response = await fetch(this.endpoint, {
          method: 'POST',
          headers: { authorization: this.authorization, 'content-type': 'application/json' },
          body,
        });
      } catch (error) {
        networkFailures += 1;
        if (networkFailures >= MAX_NETWORK_ATTEMPTS) {
          throw new ImportError(`${this.endpoint}: ${(error as Error).message}`, { cause: error });
        }
        await sleep(Math.min(250 * 2 ** networkFailures, 10_000));
        continue;
      }
      if (response.status === 429 || response.status === 503) {
        await response.arrayBuffer();
        const seconds = retryAfterSeconds(response.headers.get('retry-after'), 1);
        this.onWait(response.status, seconds);
        await sleep(seconds * 1000);
        continue;
      }
      const answer = (await response.json().catch(() => null)) as
        | (IngestResult & { error?: { code: string; message: string } })
        | null;
      if (response.ok && answer && Array.isArray(answer.rejected)) {
        this.callsWithoutRevenueTraits += answer.ignoredTraits?.length ?? 0;
        return answer;
      }
      const error = answer?.error;
      throw new ImportError(
        `${this.endpoint} answered ${response.status}` +
          (error ? ` ${error.code}: ${error.message}` : ''),
      );
    }
  }

  async close(): Promise<void> {}
}
