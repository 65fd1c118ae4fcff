/**
 * `@tenure/sdk`: the browser client.
 *
 * @example
 * import { Tenure } from '@tenure/sdk';
 * const tenure = new Tenure({ writeKey: 'tw_...', host: 'https://tenure.example.com' });
 * tenure.login();
 */
import type { AnyEvents, CustomEvents } from '../core/event-types.js';
import { type BrowserOptions, Tenure } from './browser-tenure.js';

export type { DeliveryStats } from '../core/delivery.js';
export type {
  AccountTraits,
  AnyEvents,
  CustomEvents,
  EventName,
  Properties,
  UserTraits,
} from '../core/event-types.js';
export type {
  ErrorHandler,
  SdkErrorCode,
  TenureError,
  TenureErrorCode,
} from '../core/tenure-error.js';
export type { BrowserEnvironment } from './browser-environment.js';
export { type BrowserOptions, Tenure } from './browser-tenure.js';
export { snippet } from './snippet.js';

/**
 * Creates the browser client; the same as `new Tenure(options)`.
 * @example const tenure = init<{ report_exported: { format: string } }>({ writeKey, host });
 */
export function init<Custom extends CustomEvents = AnyEvents>(
  options: BrowserOptions,
): Tenure<Custom> {
  return new Tenure<Custom>(options);
}
