/**
 * `@tenure/sdk/node`: the Node client, for servers and serverless functions.
 *
 * @example
 * import { Tenure } from '@tenure/sdk/node';
 * const tenure = new Tenure({ writeKey: process.env.TENURE_WRITE_KEY!, host: 'https://tenure.example.com' });
 */
export type { DeliveryStats } from '../core/delivery.js';
export type {
  AccountTraits,
  AnyEvents,
  CustomEvents,
  EventName,
  Properties,
  UserTraits,
} from '../core/event-types.js';
export type { DeliveryRequest, DeliveryResponse, Runtime, Transport } from '../core/runtime.js';
export type {
  ErrorHandler,
  SdkErrorCode,
  TenureError,
  TenureErrorCode,
} from '../core/tenure-error.js';
export type {
  Actor,
  AliasCall,
  CallOptions,
  GroupCall,
  IdentifyCall,
  PageCall,
  TrackCall,
} from './node-calls.js';
export { type NodeOptions, type ShutdownResult, Tenure } from './node-tenure.js';
export { UserEvents } from './user-events.js';
