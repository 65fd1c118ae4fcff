import type { AccountFeatures } from './account-features.types.js';

/** Fewer peers than this on a plan and a share would be an anecdote. */
const MIN_PEERS = 5;

/**
 * By plan ('' = no plan): how many retained accounts it has, and the share of them using each
 * key feature (absent when there are fewer than MIN_PEERS).
 */
export type PeerAdoption = Record<string, { accounts: number; shares?: Record<string, number> }>;

/**
 * Counts retained accounts and their key-feature use by plan, a few accounts at a time, so a
 * project's norms never hold every account's features at once (100,000 accounts' features
 * took the server's memory past 500 MB).
 */
export class PeerAdoptionCounter {
  private readonly byPlan = new Map<string, { peers: number; using: Map<string, number> }>();

  constructor(private readonly keyFeatures: string[]) {}

  add(features: AccountFeatures[]): void {
    for (const account of features) {
      if (account.churnedAt !== null || account.logins28 === 0) continue;
      const plan = account.plan ?? '';
      let counts = this.byPlan.get(plan);
      if (!counts) {
        counts = { peers: 0, using: new Map() };
        this.byPlan.set(plan, counts);
      }
      counts.peers += 1;
      for (const feature of account.keyFeaturesUsed28) {
        counts.using.set(feature, (counts.using.get(feature) ?? 0) + 1);
      }
    }
  }

  adoption(): PeerAdoption {
    const adoption: PeerAdoption = {};
    for (const [plan, { peers, using }] of this.byPlan) {
      adoption[plan] =
        peers < MIN_PEERS
          ? { accounts: peers }
          : {
              accounts: peers,
              shares: Object.fromEntries(
                this.keyFeatures.map((feature) => [feature, (using.get(feature) ?? 0) / peers]),
              ),
            };
    }
    return adoption;
  }
}

/**
 * For each plan, the share of its retained accounts (not churned, logged in within 28 days)
 * that used each key feature in the last 28 days. Feeds recommendations such as "never used
 * Reports, which 80% of retained accounts on this plan use".
 *
 * @example
 * peerAdoptionOf(features, ['reports'])['team']?.shares?.reports; // 0.8
 */
export function peerAdoptionOf(features: AccountFeatures[], keyFeatures: string[]): PeerAdoption {
  const counter = new PeerAdoptionCounter(keyFeatures);
  counter.add(features);
  return counter.adoption();
}
