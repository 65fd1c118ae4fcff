import { z } from 'zod';
import type { Db } from '../db/database.types.js';
import { textParam } from '../http/text-param.js';

/** Tier cut-offs on the 0–100 risk score: a score at or above a cut-off is in that tier. */
const tierCutoffsShape = {
  watch: z.number().min(0).max(100).default(30),
  at_risk: z.number().min(0).max(100).default(55),
  critical: z.number().min(0).max(100).default(75),
};

const ordered = (t: { watch: number; at_risk: number; critical: number }) =>
  t.watch <= t.at_risk && t.at_risk <= t.critical;
const ORDER_MESSAGE = 'Cut-offs must be ordered: watch <= at_risk <= critical';

export const tierCutoffsSchema = z.object(tierCutoffsShape).refine(ordered, {
  message: ORDER_MESSAGE,
});

const TIER_DEFAULTS = { watch: 30, at_risk: 55, critical: 75 };

/**
 * Tier cut-offs on the learned model's calibrated churn probability (0–1, the chance of
 * cancelling within the model's horizon), used when `tierBy` is `probability`.
 */
const probabilityCutoffsShape = {
  watch: z.number().min(0).max(1).default(0.1),
  at_risk: z.number().min(0).max(1).default(0.25),
  critical: z.number().min(0).max(1).default(0.5),
};
const PROBABILITY_DEFAULTS = { watch: 0.1, at_risk: 0.25, critical: 0.5 };

const settingsShape = {
  /** Features that matter for adoption; when empty, the most used ones are inferred. */
  keyFeatures: z.array(textParam()).max(100).default([]),
  /** Days without a login after which an account counts as inactive (research: ~3 weeks). */
  inactivityDays: z.number().int().min(1).max(365).default(21),
  tierCutoffs: tierCutoffsSchema.default(TIER_DEFAULTS),
  /**
   * What sets the tier: the 0–100 score (`score`), or the calibrated churn probability
   * (`probability`) where a learned model gives one; the default model has none, so its answers
   * keep the score's tiers.
   */
  tierBy: z.enum(['score', 'probability']).default('score'),
  probabilityCutoffs: z
    .object(probabilityCutoffsShape)
    .refine(ordered, { message: ORDER_MESSAGE })
    .default(PROBABILITY_DEFAULTS),
  /** Multipliers on the default model's factor weights, by factor key (1 = as documented). */
  factorWeights: z.record(textParam(64), z.number().min(0).max(10)).default({}),
  /** Accounts younger than this many days count as "new" in churn segmentation. */
  newCustomerDays: z.number().int().min(1).max(3650).default(90),
  /** MRR band upper bounds for `groupBy=size`. */
  sizeBands: z.array(z.number().positive()).max(20).default([100, 1000, 10000]),
};

/**
 * Per-project settings (`GET/PUT /v1/settings`). Every field has a default, so an empty object
 * is a valid configuration. This is the reading of stored settings; what a client may send is
 * `projectSettingsInputSchema`.
 */
export const projectSettingsSchema = z.object(settingsShape);

const increasing = (values: number[]) => values.every((v, i) => i === 0 || v > values[i - 1]!);

/**
 * The body of `PUT /v1/settings`: the same fields, stricter. PUT replaces the settings and a
 * missing field takes its default, so an unknown key (a typo such as `inactivtyDays`) is a 400
 * instead of a silent reset of the field it meant; size bands must be increasing (they are band
 * edges, and the size factor reads the first as the smallest) and key features listed once.
 */
export const projectSettingsInputSchema = z.strictObject({
  ...settingsShape,
  keyFeatures: settingsShape.keyFeatures.refine(
    (features) => new Set(features).size === features.length,
    {
      message: 'Each key feature may be listed once',
    },
  ),
  tierCutoffs: z
    .strictObject(tierCutoffsShape)
    .refine(ordered, { message: ORDER_MESSAGE })
    .default(TIER_DEFAULTS),
  probabilityCutoffs: z
    .strictObject(probabilityCutoffsShape)
    .refine(ordered, { message: ORDER_MESSAGE })
    .default(PROBABILITY_DEFAULTS),
  sizeBands: z
    .array(z.number().positive())
    .max(20)
    .refine(increasing, { message: 'Size bands must be strictly increasing' })
    .default([100, 1000, 10000]),
});

export type ProjectSettings = z.infer<typeof projectSettingsSchema>;

/** The project's settings with defaults filled in. */
export async function getProjectSettings(db: Db, projectId: string): Promise<ProjectSettings> {
  const row = await db
    .selectFrom('projects')
    .select('settings')
    .where('id', '=', projectId)
    .executeTakeFirst();
  const parsed = projectSettingsSchema.safeParse(row?.settings ?? {});
  return parsed.success ? parsed.data : projectSettingsSchema.parse({});
}

export async function saveProjectSettings(
  db: Db,
  projectId: string,
  settings: ProjectSettings,
): Promise<void> {
  await db
    .updateTable('projects')
    .set({ settings: JSON.stringify(settings) })
    .where('id', '=', projectId)
    .execute();
}
