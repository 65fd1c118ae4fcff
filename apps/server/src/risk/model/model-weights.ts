import { DEFAULT_FACTORS } from '../factors/default-factors.js';

/**
 * The weights a score is computed with: points per unit of factor severity, by factor key.
 * A score is `sum(points[key] × severity[key])`, clamped to 0–100, for both models, so a
 * learned model explains itself in the same terms as the default one.
 */
export interface ModelWeights {
  kind: 'default' | 'learned';
  points: Record<string, number>;
}

/** The default model: each factor's documented weight. */
export function defaultWeights(): ModelWeights {
  return {
    kind: 'default',
    points: Object.fromEntries(DEFAULT_FACTORS.map((factor) => [factor.key, factor.weight])),
  };
}

/**
 * `settings.factorWeights` multiplies the weights of the model in use (1 = as is, 0 = off).
 *
 * @example
 * withMultipliers(defaultWeights(), { kb_usage: 0 }).points.kb_usage; // 0
 */
export function withMultipliers(
  weights: ModelWeights,
  multipliers: Record<string, number>,
): ModelWeights {
  const points = Object.fromEntries(
    Object.entries(weights.points).map(([key, value]) => [key, value * (multipliers[key] ?? 1)]),
  );
  return { kind: weights.kind, points };
}
