import type { AdditiveModel } from './additive-model.js';

export interface InputWeight {
  input: string;
  /** The factor whose contribution this input joins. */
  factor: string;
  /** Change in log-odds of churn per standard deviation of the input, for every tenure. */
  weight: number;
  /** The same, for each tenure band (shared weight plus the band's own), where it differs. */
  byTenure: { fromDays: number; weight: number }[] | null;
  words: string;
}

const NAMES: Record<string, string> = {
  days_since_last_login: 'days since the last login',
  never_logged_in: 'never having logged in',
  days_since_last_activity: 'days since the last activity',
  login_trend: 'logins in the last 28 days against the 28 before',
  feature_use_trend: 'feature uses in the last 28 days against the 28 before',
  distinct_feature_trend: 'features used in the last 28 days against the 28 before',
  tenure_days: 'tenure',
  seats: 'seats',
  seat_use_28: 'seat use in the last 28 days',
  mrr: 'MRR',
  yearly_billing: 'yearly billing',
  milestone_ever: 'having reached a milestone',
};

/** "logins_7" → "logins in the last 7 days". */
export function inputInWords(input: string): string {
  const named = NAMES[input];
  if (named) return named;
  const match = /^(.*)_(\d+)$/.exec(input);
  if (!match) return input.replaceAll('_', ' ');
  return `${match[1]!.replaceAll('_', ' ')} in the last ${match[2]} days`;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

/**
 * The learned weights of a model, one entry per input, largest first, each in words:
 * "More logins in the last 7 days: lower risk (−0.41 log-odds per standard deviation)". Weights
 * are on standardized inputs, so their sizes compare.
 *
 * @example
 * describeModel(model)[0].words;
 */
export function describeModel(model: AdditiveModel, factorOf: Map<string, string>): InputWeight[] {
  const inputs = model.inputs.length;
  const slopes = model.byTenure.length;
  const weights = model.inputs.map((input, j) => {
    const weight = model.beta[j + 1]! * model.calibration.slope;
    const slot = model.byTenure.indexOf(j);
    const byTenure =
      slot < 0
        ? null
        : model.tenureBands.map((fromDays, band) => ({
            fromDays,
            weight: round(
              weight + model.beta[inputs + band * slopes + slot + 1]! * model.calibration.slope,
            ),
          }));
    const direction = weight > 0 ? 'higher' : 'lower';
    const words =
      Math.abs(weight) < 0.005
        ? `${capitalised(inputInWords(input))}: no effect learned`
        : `More ${inputInWords(input)}: ${direction} risk (${weight > 0 ? '+' : '−'}${Math.abs(weight).toFixed(2)} log-odds per standard deviation)`;
    return {
      input,
      factor: factorOf.get(input) ?? 'tenure',
      weight: round(weight),
      byTenure,
      words,
    };
  });
  return weights.sort((a, b) => Math.abs(b.weight) - Math.abs(a.weight));
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
