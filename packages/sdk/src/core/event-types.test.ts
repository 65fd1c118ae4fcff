import type { SemanticEventProperties as Semantic, SemanticEventName } from '@tenure/schema';
import { describe, expectTypeOf, it } from 'vitest';
import type { Tenure as BrowserTenure } from '../browser/browser-tenure.js';
import type { Tenure as NodeTenure } from '../node/node-tenure.js';
import type { SEMANTIC_HELPERS } from './semantic-events.js';

/**
 * Compile-time checks (run by `tsc`; the runtime part only type-checks the calls): declared
 * custom events and semantic events are checked, anything else is refused.
 */
type AppEvents = { report_exported: { format: 'csv' | 'pdf' }; tour_skipped: { step?: number } };

// Never constructed: the calls below exist for the compiler.
declare const browser: BrowserTenure<AppEvents>;
declare const server: NodeTenure<AppEvents>;
declare const untyped: BrowserTenure;

describe('event types', () => {
  it('checks declared custom events in the browser client', () => {
    const check = () => {
      browser.track('report_exported', { format: 'csv' });
      browser.track('tour_skipped');
      browser.track('feature_used', { feature: 'reports' });
      // @ts-expect-error: not a declared event
      browser.track('report_exportd', { format: 'csv' });
      // @ts-expect-error: wrong property type
      browser.track('report_exported', { format: 'xls' });
      // @ts-expect-error: required properties missing
      browser.track('report_exported');
      // @ts-expect-error: semantic events keep their required properties
      browser.track('feature_used', {});
    };
    expectTypeOf(check).toBeFunction();
    expectTypeOf<Parameters<typeof browser.track<'report_exported'>>>().toEqualTypeOf<
      [event: 'report_exported', properties: { format: 'csv' | 'pdf' }]
    >();
  });

  it('checks declared custom events in the Node client', () => {
    const check = () => {
      server.track({
        userId: 'u',
        accountId: 'a',
        event: 'report_exported',
        properties: { format: 'pdf' },
      });
      server.user({ userId: 'u' }).track('report_exported', { format: 'csv' });
      // @ts-expect-error: not a declared event
      server.track({ userId: 'u', event: 'nope' });
      // @ts-expect-error: required properties missing
      server.track({ userId: 'u', event: 'report_exported' });
      // @ts-expect-error: a user or anonymous id is required
      server.track({ accountId: 'a', event: 'tour_skipped' });
    };
    expectTypeOf(check).toBeFunction();
  });

  it('types the semantic helpers from the contract', () => {
    const check = () => {
      browser.featureUsed('reports', { report: 'mrr' });
      browser.subscriptionCancelled({ reason: 'too_expensive', mrr: 490 });
      // @ts-expect-error: reason is required
      browser.subscriptionCancelled({ mrr: 490 });
      // @ts-expect-error: plan and mrr are required
      browser.subscriptionStarted({ seats: 3 });
      // @ts-expect-error: interval is month or year
      server.user({ userId: 'u' }).subscriptionRenewed({ plan: 'pro', mrr: 10, interval: 'week' });
    };
    expectTypeOf(check).toBeFunction();
    expectTypeOf<Parameters<BrowserTenure['featureUsed']>[0]>().toEqualTypeOf<string>();
  });

  it('accepts any event name when no events are declared', () => {
    const check = () => {
      untyped.track('anything_at_all', { free: 'form' });
      // @ts-expect-error: semantic events are still checked
      untyped.track('kb_article_viewed', { article: 'typo' });
    };
    expectTypeOf(check).toBeFunction();
  });
});

/** `feature_used` → `featureUsed`, as `helperName` does at run time. */
type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}`
  ? `${Head}${Capitalize<CamelCase<Tail>>}`
  : S;
type Helpers = typeof SEMANTIC_HELPERS;
type Helper<E extends SemanticEventName> = BrowserTenure[CamelCase<E> & keyof BrowserTenure];
type Args<E extends SemanticEventName> = Helper<E> extends (...args: infer A) => void ? A : never;

type Equals<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** The contract's properties without `Key`, index signature and typed properties kept. */
type Without<T, Key> = { [K in keyof T as K extends Key ? never : K]: T[K] };

/**
 * For every semantic event of the contract: a helper of that name exists, its first argument
 * is exactly the contract's type of the positional property (or the whole properties object),
 * and its second exactly the contract's other properties, each with its type.
 */
type HelperMatchesContract = {
  [E in SemanticEventName]: Helpers[E] extends infer Key extends keyof Semantic[E]
    ? Equals<[Args<E>[0], NonNullable<Args<E>[1]>], [Semantic[E][Key], Without<Semantic[E], Key>]>
    : Equals<NonNullable<Args<E>[0]>, Semantic[E]>;
};

describe('semantic helpers against the contract', () => {
  it('has one per event, typed by the contract', () => {
    expectTypeOf<HelperMatchesContract>().toEqualTypeOf<Record<SemanticEventName, true>>();
    const check = () => {
      browser.supportTicketResolved('T-1', { satisfied: true, note: 'kept' });
      // @ts-expect-error: satisfied is a boolean
      browser.supportTicketResolved('T-1', { satisfied: 'yes' });
      // @ts-expect-error: priority is a string
      browser.supportTicketOpened('T-1', { priority: 3 });
      // @ts-expect-error: url is a string
      server.user({ userId: 'u' }).emailClicked('onboarding', { url: 42 });
    };
    expectTypeOf(check).toBeFunction();
  });
});
