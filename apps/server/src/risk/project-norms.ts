import type { Db } from '../db/database.types.js';
import type { ProjectSettings } from '../settings/project-settings.js';
import { startOfUtcDay } from '../time/utc-day.js';
import { accountFeatures } from './account-features.sql.js';
import type { FactorContext } from './factors/factor.js';
import { inferKeyFeatures } from './key-features.sql.js';
import { type PeerAdoption, PeerAdoptionCounter } from './peer-adoption.js';

/** What scoring needs to know about the whole project, as of a day. */
export interface ProjectNorms {
  keyFeatures: string[];
  peerAdoption: PeerAdoption;
}

interface CacheEntry {
  norms: Promise<ProjectNorms>;
  expires: number;
  /** A computation under way to replace `norms` once they have expired. */
  renewing: boolean;
}

// Norms read only complete days before the day they are for, so they change only when late
// data arrives: a few minutes of caching keeps one account's risk and a page of the list
// cheap (they would otherwise read every account to find its peers: ~15 s at 100,000
// accounts) at the cost of late data showing up a little later. Expired norms of the day are
// still answered while their renewal runs, so no request waits for it.
const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 64;
const caches = new WeakMap<Db, Map<string, CacheEntry>>();
/** Accounts whose features are read per statement for the norms, and statements at once. */
const NORMS_SLICE = 2_500;
const PARALLEL_SLICES = 4;

async function computeNorms(
  db: Db,
  projectId: string,
  dayStart: Date,
  settings: ProjectSettings,
): Promise<ProjectNorms> {
  const keyFeatures =
    settings.keyFeatures.length > 0
      ? settings.keyFeatures
      : await inferKeyFeatures(db, projectId, dayStart);
  const accounts = await db
    .selectFrom('accounts')
    .select('account_id')
    .where('project_id', '=', projectId)
    .where('first_seen', '<=', dayStart)
    .orderBy('account_id')
    .execute();
  const ids = accounts.map((account) => account.account_id);
  const counter = new PeerAdoptionCounter(keyFeatures);
  // Slices read in parallel (a pool reads them on several cores), counted and dropped.
  for (let start = 0; start < ids.length; start += NORMS_SLICE * PARALLEL_SLICES) {
    const slices = Array.from({ length: PARALLEL_SLICES }, (_, k) =>
      ids.slice(start + k * NORMS_SLICE, start + (k + 1) * NORMS_SLICE),
    ).filter((slice) => slice.length > 0);
    const features = await Promise.all(
      slices.map((accountIds) =>
        accountFeatures(db, projectId, { asOf: dayStart, keyFeatures, accountIds }),
      ),
    );
    for (const slice of features) counter.add(slice);
  }
  return { keyFeatures, peerAdoption: counter.adoption() };
}

/**
 * The project's key features and peer adoption as of the start of `asOf`'s UTC day (so only
 * data from before that day), cached per database, project, day and settings.
 */
export function projectNorms(
  db: Db,
  projectId: string,
  asOf: Date,
  settings: ProjectSettings,
): Promise<ProjectNorms> {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const dayStart = startOfUtcDay(asOf);
  const key = `${projectId}|${dayStart.toISOString()}|${settings.keyFeatures.join('\u0000')}`;
  const cached = cache.get(key);
  if (cached) {
    if (cached.expires <= Date.now() && !cached.renewing) {
      renew(cache, key, cached, () => computeNorms(db, projectId, dayStart, settings));
    }
    return cached.norms;
  }
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const norms = computeNorms(db, projectId, dayStart, settings);
  cache.set(key, { norms, expires: Date.now() + TTL_MS, renewing: false });
  norms.catch(() => cache.delete(key));
  return norms;
}

/** Computes expired norms anew in the background, replacing them once done (kept on failure). */
function renew(
  cache: Map<string, CacheEntry>,
  key: string,
  entry: CacheEntry,
  compute: () => Promise<ProjectNorms>,
): void {
  entry.renewing = true;
  compute().then(
    (norms) => {
      // Forgotten meanwhile (settings changed): the renewal is not put back.
      if (cache.get(key) === entry) {
        cache.set(key, {
          norms: Promise.resolve(norms),
          expires: Date.now() + TTL_MS,
          renewing: false,
        });
      }
    },
    () => {
      entry.renewing = false;
    },
  );
}

/** An account's plan and how the plan's retained accounts use the key features. */
export interface PlanPeers {
  /** The account's plan as of the time asked (null: no plan). */
  plan: string | null;
  /** Retained accounts on the plan (not churned, a login within 28 days), as of that day. */
  accounts: number;
  /** Share of them using each key feature in 28 days; null with fewer than 5 peers. */
  shares: Record<string, number> | null;
}

/**
 * The peers of an account on its plan as of `asOf`: the same norms (cached, as of the start of
 * the day) that the recommendations quote ("never used Reports, which 80% of retained
 * accounts on this plan use"), so the page and the advice agree.
 */
export async function planPeersOf(
  db: Db,
  projectId: string,
  accountId: string,
  asOf: Date,
  settings: ProjectSettings,
): Promise<PlanPeers> {
  const norms = await projectNorms(db, projectId, asOf, settings);
  const [account] = await accountFeatures(db, projectId, {
    asOf,
    keyFeatures: norms.keyFeatures,
    accountIds: [accountId],
  });
  const plan = account?.plan ?? null;
  const peers = norms.peerAdoption[plan ?? ''];
  return { plan, accounts: peers?.accounts ?? 0, shares: peers?.shares ?? null };
}

/** Forgets a project's cached norms (after its settings change or data is loaded in bulk). */
export function forgetProjectNorms(db: Db, projectId: string): void {
  const cache = caches.get(db);
  if (!cache) return;
  for (const key of cache.keys()) if (key.startsWith(`${projectId}|`)) cache.delete(key);
}

/** The factors' context from settings and norms. */
export function factorContext(settings: ProjectSettings, norms: ProjectNorms): FactorContext {
  return {
    inactivityDays: settings.inactivityDays,
    newCustomerDays: settings.newCustomerDays,
    keyFeatures: norms.keyFeatures,
    sizeBands: settings.sizeBands,
    peerAdoption: (plan, feature) => norms.peerAdoption[plan ?? '']?.shares?.[feature] ?? null,
  };
}
