/**
 * What the core needs from its runtime. The core touches no browser or Node global (lint
 * enforces it); the browser and Node entry points pass these in, and tests pass fakes.
 */

/** One `POST /v1/batch` as the core prepared it: the body is final JSON. */
export interface DeliveryRequest {
  url: string;
  body: string;
  writeKey: string;
}

/** The parts of an HTTP answer the delivery rules look at. */
export interface DeliveryResponse {
  status: number;
  /** The `Retry-After` header, verbatim (seconds or an HTTP date). */
  retryAfter?: string | null | undefined;
  body?: string | undefined;
}

/**
 * Sends one request. Resolves with any HTTP answer, rejects only when no answer came (network
 * down, DNS, CORS, timeout): the core retries those.
 */
export interface Transport {
  /** True when the write key travels in the body, for senders that avoid custom headers. */
  readonly keyInBody?: boolean | undefined;
  send(request: DeliveryRequest): Promise<DeliveryResponse>;
  /** Abandons the requests under way (Node's `shutdown()`); optional. */
  close?(): void;
}

export type TimerHandle = unknown;

export interface Scheduler {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export interface Runtime {
  scheduler: Scheduler;
  /** Milliseconds since the epoch. */
  now(): number;
  /** Uniform in [0, 1); drives retry jitter. */
  random(): number;
  /** A fresh UUID v4 for each message. */
  uuid(): string;
}

/** String key-value storage for identity and consent (localStorage in browsers). */
export interface KeyValueStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
  remove(key: string): void;
}
