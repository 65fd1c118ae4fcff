import type { AccountFeatures } from './account-features.types.js';

/** Fewer peers than this on a plan and a share would be an anecdote. */
const MIN_PEERS = 5;

/**
 * By plan ('' = no plan): how many retained accounts it has, and the share of them using each
 * key feature (absent when there are fewer than MIN_PEERS).
 */
export type PeerAdoption = Record<string, { accounts: number; shares?: Record<string, number> }>;

/**
 * For each plan, the share of its retained accounts (not churned, logged in within 28 days)
 * that used each key feature in the last 28 days. Feeds recommendations such as "never used
 * Reports, which 80% of retained accounts on this plan use".
 *
 * @example
 * peerAdoptionOf(features, ['reports'])['team']?.shares?.reports; // 0.8
 */
export function peerAdoptionOf(features: AccountFeatures[], keyFeatures: string[]): PeerAdoption {
  const byPlan = new Map<string, AccountFeatures[]>();
  for (const account of features) {
    if (account.churnedAt !== null || account.logins28 === 0) continue;
    const peers = byPlan.get(account.plan ?? '');
    if (peers) peers.push(account);
    else byPlan.set(account.plan ?? '', [account]);
  }
  const adoption: PeerAdoption = {};
  for (const [plan, peers] of byPlan) {
    if (peers.length < MIN_PEERS) {
      adoption[plan] = { accounts: peers.length };
      continue;
    }
    adoption[plan] = {
      accounts: peers.length,
      shares: Object.fromEntries(
        keyFeatures.map((feature) => [
          feature,
          peers.filter((peer) => peer.keyFeaturesUsed28.includes(feature)).length / peers.length,
        ]),
      ),
    };
  }
  return adoption;
}
