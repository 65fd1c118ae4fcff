import type { Db } from '../db/database.types.js';
import type { ProjectSettings } from '../settings/project-settings.js';
import { startOfUtcDay } from '../time/utc-day.js';
import { accountFeatures } from './account-features.sql.js';
import type { FactorContext } from './factors/factor.js';
import { inferKeyFeatures } from './key-features.sql.js';
import { type PeerAdoption, peerAdoptionOf } from './peer-adoption.js';

/** What scoring needs to know about the whole project, as of a day. */
export interface ProjectNorms {
  keyFeatures: string[];
  peerAdoption: PeerAdoption;
}

interface CacheEntry {
  norms: Promise<ProjectNorms>;
  expires: number;
}

// Norms read only complete days before the day they are for, so they change only when late
// data arrives: a few minutes of caching keeps one account's risk cheap (it would otherwise
// read every account to find its peers) at the cost of late data showing up a little later.
const TTL_MS = 10 * 60_000;
const MAX_ENTRIES = 64;
const caches = new WeakMap<Db, Map<string, CacheEntry>>();

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
  const features = await accountFeatures(db, projectId, { asOf: dayStart, keyFeatures });
  return { keyFeatures, peerAdoption: peerAdoptionOf(features, keyFeatures) };
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
  const now = Date.now();
  const cached = cache.get(key);
  if (cached && cached.expires > now) return cached.norms;
  if (cache.size >= MAX_ENTRIES) cache.clear();
  const norms = computeNorms(db, projectId, dayStart, settings);
  cache.set(key, { norms, expires: now + TTL_MS });
  norms.catch(() => cache.delete(key));
  return norms;
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
